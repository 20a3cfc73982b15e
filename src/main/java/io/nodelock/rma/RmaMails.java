package io.nodelock.rma;

import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.notification.OutgoingMail;
import java.util.UUID;

/** The customer's mails of an RMA: the replacement's licenses, or why the RMA was not carried out. */
final class RmaMails {

    private RmaMails() {
    }

    static OutgoingMail licensesReissued(Rma rma, IssuedLicenseFile file) {
        String rmaId = rma.id().toString();
        String body = """
                Hello,

                RMA %s is complete%s. The licenses of the failed device %s were reissued for the replacement %s and are
                attached as %s (license lines %s).

                Install the file on the replacement with 'license install %s'. The failed device is locked: it
                receives no more licenses, resends or transfers.

                Nodelock Licensing
                """.formatted(rma.rmaNumber(), rma.reviewedBy() == null ? "" : " (approved by TAC: " + rma.reviewComment() + ")",
                rma.failedUdi(), rma.replacementUdi(), file.fileName(), String.join(", ", file.licenseIds()), file.fileName());
        return new OutgoingMail(licenseMailKey(rma.id()), "rma:" + rmaId, rma.email(),
                "RMA " + rma.rmaNumber() + ": licenses for " + rma.replacementUdi(), body, file.fileName(), file.content());
    }

    static OutgoingMail rejected(Rma rma, String code, String message) {
        String rmaId = rma.id().toString();
        String body = """
                Hello,

                RMA %s (licenses of %s for %s) was not carried out.

                Reason: %s
                Detail: %s

                Reply to this mail with the RMA number if you need help.

                Nodelock Licensing
                """.formatted(rma.rmaNumber(), rma.failedUdi(), rma.replacementUdi(), code, message);
        return new OutgoingMail(rejectionMailKey(rma.id()), "rma:" + rmaId, rma.email(),
                "RMA " + rma.rmaNumber() + " not carried out", body, null, null);
    }

    /** The outbox key of the license mail: one mail per RMA, however often its step runs; the intake reads its status by it. */
    static String licenseMailKey(UUID rmaId) {
        return "rma-license-mail:" + rmaId;
    }

    static String rejectionMailKey(UUID rmaId) {
        return "rma-rejection-mail:" + rmaId;
    }
}
