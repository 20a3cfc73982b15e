package io.nodelock.resend;

import io.nodelock.notification.OutgoingMail;
import java.util.UUID;

/** The mail of a resend: the device's active licenses, to the account's registered address. */
final class ResendMails {

    private ResendMails() {
    }

    static OutgoingMail resent(Resend r, String email) {
        String body = """
                Hello,

                As requested%s, here are again the licenses active on %s today: %s.
                They are attached as %s; no license is new and no PAK unit was used.

                Install the file on the device with 'license install %s'. Lines the device already holds are
                left as they are.

                If you did not ask for this, tell us: resends go only to this registered address.

                Nodelock Licensing
                """.formatted("call-home".equals(r.channel()) ? " by the device itself (License Call Home)" : "", r.udi().binding(),
                String.join(", ", r.licenseIds()), r.fileName(), r.fileName());
        return new OutgoingMail(mailKey(r.id()), "resend:" + r.id(), email, "Your licenses for " + r.udi().binding() + ", again", body,
                r.fileName(), r.content());
    }

    static OutgoingMail rejected(Resend r, String email, String code, String message) {
        String body = """
                Hello,

                The licenses of %s were not sent again.

                Reason: %s
                Detail: %s

                Nodelock Licensing
                """.formatted(r.udi().binding(), code, message);
        return new OutgoingMail(mailKey(r.id()), "resend:" + r.id(), email, "Licenses for " + r.udi().binding() + " not sent again",
                body, null, null);
    }

    static String mailKey(UUID id) {
        return "resend-mail:" + id;
    }
}
