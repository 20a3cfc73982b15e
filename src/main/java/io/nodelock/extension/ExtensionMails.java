package io.nodelock.extension;

import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.notification.OutgoingMail;
import java.time.Duration;
import java.util.UUID;

/** The customer's mails of an extension request: the extension line, why it was refused, or that the answer is late. */
final class ExtensionMails {

    private ExtensionMails() {
    }

    static OutgoingMail issued(Extension e, IssuedLicenseFile file, int days) {
        String body = """
                Hello,

                Your extension of %s on %s is approved: %d days of use%s, under EULA %s.
                The license line is attached as %s (license %s).

                Install it on the device with 'license install %s'. The device uses it once the
                evaluation's days are used up, for %d more days of use.

                Nodelock Licensing
                """.formatted(e.feature(), e.udi().binding(), days,
                days < e.daysRequested() ? " (you asked for " + e.daysRequested() + ")" : "", e.eulaVersion(), file.fileName(),
                String.join(", ", file.licenseIds()), file.fileName(), days);
        return new OutgoingMail(licenseMailKey(e.id()), "extension:" + e.id(), e.email(),
                "Extension of " + e.feature() + " on " + e.udi().binding() + ": " + days + " days", body, file.fileName(), file.content());
    }

    static OutgoingMail rejected(Extension e, String code, String message) {
        String body = """
                Hello,

                Your request to extend %s on %s by %d days was not granted.

                Reason: %s
                Detail: %s

                Reply to this mail with request %s if you need help.

                Nodelock Licensing
                """.formatted(e.feature(), e.udi().binding(), e.daysRequested(), code, message, e.id());
        return new OutgoingMail(rejectionMailKey(e.id()), "extension:" + e.id(), e.email(),
                "Extension of " + e.feature() + " on " + e.udi().binding() + " not granted", body, null, null);
    }

    static OutgoingMail late(Extension e, Duration serviceLevel) {
        String body = """
                Hello,

                Your request to extend %s on %s by %d days has waited longer than our %s
                service level for a TAC decision. We have passed it to the TAC leads; you will receive the
                answer by mail.

                Request: %s

                Nodelock Licensing
                """.formatted(e.feature(), e.udi().binding(), e.daysRequested(), humane(serviceLevel), e.id());
        return new OutgoingMail("extension-late-mail:" + e.id(), "extension:" + e.id(), e.email(),
                "Extension of " + e.feature() + " on " + e.udi().binding() + ": the decision is late", body, null, null);
    }

    private static String humane(Duration d) {
        return d.toMinutes() % 60 == 0 ? d.toHours() + "-hour" : d.toMinutes() + "-minute";
    }

    /** The outbox key of the license mail: one mail per request, however often its step runs. */
    static String licenseMailKey(UUID id) {
        return "extension-license-mail:" + id;
    }

    static String rejectionMailKey(UUID id) {
        return "extension-rejection-mail:" + id;
    }
}
