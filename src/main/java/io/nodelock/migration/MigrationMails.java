package io.nodelock.migration;

import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.notification.OutgoingMail;
import java.util.List;
import java.util.UUID;

/** The mails of a migration, to the account's registered address: the new license file, or why there is none. */
final class MigrationMails {

    private MigrationMails() {
    }

    static OutgoingMail migrated(Migration m, IssuedLicenseFile file, List<String> superseded, String email) {
        String body = """
                Hello,

                License %s on %s was %s to %s with one unit of PAK %s.
                The new license %s is attached as %s. It replaces %s, which is superseded: it is no longer
                in the device's license file when you ask for it again.

                Install the file on the device with 'license install %s'. The device uses the new license
                for %s from then on.

                Nodelock Licensing
                """.formatted(m.licenseId(), m.udi().binding(), m.kind() == MigrationKind.UPGRADE ? "upgraded" : "converted",
                m.toSku(), m.pakCode().formatted(), String.join(", ", file.licenseIds()), file.fileName(),
                String.join(", ", superseded), file.fileName(), m.feature());
        return new OutgoingMail(mailKey(m.id()), "migration:" + m.id(), email, "Your upgraded license for " + m.udi().binding(), body,
                file.fileName(), file.content());
    }

    static OutgoingMail rejected(Migration m, String email, String code, String message) {
        String body = """
                Hello,

                License %s on %s was not migrated to %s. No PAK unit was used.

                Reason: %s
                Detail: %s

                Nodelock Licensing
                """.formatted(m.licenseId(), m.udi().binding(), m.toSku(), code, message);
        return new OutgoingMail(mailKey(m.id()), "migration:" + m.id(), email, "License " + m.licenseId() + " not migrated", body,
                null, null);
    }

    static String mailKey(UUID id) {
        return "migration-mail:" + id;
    }
}
