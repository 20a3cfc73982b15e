package io.nodelock.evaluation;

import io.nodelock.eula.EulaConsent;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.notification.OutgoingMail;

/** The mail that carries an evaluation license, written for the person who installs it on the device. */
final class EvaluationMails {

    private EvaluationMails() {
    }

    /** Keyed by the evaluation: queued once, however often it is asked for. */
    static String operationId(Evaluation e) {
        return "evaluation-mail:" + e.id();
    }

    static OutgoingMail licenseIssued(Evaluation e, String featureDescription, IssuedLicenseFile file, EulaConsent consent) {
        String body = """
                Hello,

                your evaluation license for %s (%s) is attached as %s.

                Device (UDI):     %s
                Period:           %d days of use
                License line:     %s
                EULA accepted:    version %s (SHA-256 %s) by %s at %s
                Evaluation id:    %s

                To install it, copy the file to the device and run:

                    license install %s

                and accept the end-user license agreement on the device as well, if it has not been accepted there:

                    license accept end user agreement

                Then check with 'show license' that the feature is active. The license counts days of use, not
                calendar days, and is locked to the device above. Each device evaluates a feature once: before
                the days are used up, order the license, or ask for an extension.

                You can download the file again at any time from /api/v1/evaluations/%s/license-file.

                Nodelock Licensing
                """.formatted(e.feature(), featureDescription, file.fileName(), e.udi(), e.usageDays(),
                String.join(", ", file.licenseIds()), consent.eulaVersion(), consent.textSha256(), consent.acceptedBy(),
                consent.acceptedAt(), e.id(), file.fileName(), e.id());
        return new OutgoingMail(operationId(e), "evaluation:" + e.id(), e.email(),
                "Your evaluation license for " + e.feature() + " on " + e.udi(), body, file.fileName(), file.content());
    }
}
