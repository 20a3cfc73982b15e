package io.nodelock.rehost;

import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.notification.OutgoingMail;
import io.nodelock.rehost.Rehosts.StoredPermissionTicket;
import java.time.Instant;

/** The customer's mails of a rehost: the permission ticket, the transferred licenses, an expiry, a rejection. */
final class RehostMails {

    private RehostMails() {
    }

    static OutgoingMail permissionTicket(Rehost rehost, StoredPermissionTicket ticket) {
        String rehostId = rehost.id().toString();
        String file = "permission-" + ticket.id() + ".txt";
        String body = """
                Hello,

                Here is the permission ticket to transfer the licenses %s from %s (attached as %s).

                1. Copy it to the source device and run 'license revoke %s rehost-%s.txt'. The device revokes the
                   licenses, keeps each of them as a 60-day grace license and writes the rehost ticket.
                2. Upload the rehost ticket with the UDI of the destination device before %s:
                   POST /api/v1/rehosts/%s/rehost-ticket
                   The licenses for the destination are then signed and mailed to you.

                The permission ticket is valid for this device only and can be used once.

                Nodelock Licensing
                """.formatted(String.join(", ", ticket.licenseIds()), rehost.sourceUdi(), file, file, ticket.id(),
                ticket.expiresAt(), rehost.id());
        return new OutgoingMail(mailId("permission-ticket", rehostId), RehostIntake.subject(rehost.id()), rehost.email(),
                "Permission ticket to transfer licenses from " + rehost.sourceUdi(), body, file, ticket.content());
    }

    static OutgoingMail licensesTransferred(Rehost rehost, IssuedLicenseFile file) {
        String rehostId = rehost.id().toString();
        String body = """
                Hello,

                The licenses %s of %s were transferred to %s. The new license lines %s are attached as %s.

                Install the file on the destination with 'license install %s'. The source device keeps each
                transferred license only as a 60-day grace license.

                Nodelock Licensing
                """.formatted(String.join(", ", rehost.licenseIds()), rehost.sourceUdi(), rehost.destinationUdi(),
                String.join(", ", file.licenseIds()), file.fileName(), file.fileName());
        return new OutgoingMail(mailId("licenses", rehostId), RehostIntake.subject(rehost.id()), rehost.email(),
                "Transferred licenses for " + rehost.destinationUdi(), body, file.fileName(), file.content());
    }

    static OutgoingMail permissionExpired(Rehost rehost, Instant lateUploadDeadline) {
        String rehostId = rehost.id().toString();
        String body = """
                Hello,

                The permission ticket %s to transfer %s from %s expired at %s before a rehost ticket was uploaded.
                Nothing was transferred: the licenses stay on %s.

                If the device revoked them before the expiry ('license revoke'), upload its rehost ticket until %s
                and the licenses are transferred all the same; the device keeps them as grace licenses meanwhile.
                Otherwise, if you still want to move them, start a new rehost.

                Nodelock Licensing
                """.formatted(rehost.permissionTicketId(), String.join(", ", rehost.licenseIds()), rehost.sourceUdi(),
                rehost.expiresAt(), rehost.sourceUdi(), lateUploadDeadline);
        return new OutgoingMail(mailId("expired", rehostId), RehostIntake.subject(rehost.id()), rehost.email(),
                "Permission ticket expired: licenses of " + rehost.sourceUdi() + " not transferred", body, null, null);
    }

    static OutgoingMail rejected(Rehost rehost, String code, String message) {
        String rehostId = rehost.id().toString();
        String body = """
                Hello,

                Your request to transfer licenses was not carried out.

                Reason: %s
                Detail: %s

                Nothing was revoked or transferred.

                Nodelock Licensing
                """.formatted(code, message);
        return new OutgoingMail(mailId("rejection", rehostId), RehostIntake.subject(rehost.id()), rehost.email(),
                "License transfer not carried out", body, null, null);
    }

    private static String mailId(String kind, String id) {
        return "rehost-" + kind + "-mail:" + id;
    }
}
