package io.nodelock.bulk;

import io.nodelock.notification.OutgoingMail;
import java.util.UUID;

/** The mail of a bulk fulfillment: its counts and where to fetch the result, never the license files themselves. */
final class BulkMails {

    private BulkMails() {
    }

    static OutgoingMail result(BulkFulfillment b) {
        String body = """
                Hello,

                Bulk fulfillment %s is complete: %d of %d rows were issued, %d refused.

                Download the result archive (one license file per device, <PID>_<SN>.lic, and outcomes.csv with every
                row's outcome) from GET /api/v1/bulk-fulfillments/%s/archive, or only the outcomes from
                GET /api/v1/bulk-fulfillments/%s/outcomes.csv. A refused row used no PAK unit; its code and reason are in
                the outcomes. The device tool installs the archive on many devices at once:
                nodelock-device bulk install <archive.zip> --devices <folder>.

                Nodelock Licensing
                """.formatted(b.id(), b.rowsIssued(), b.rowCount(), b.rowsRefused(), b.id(), b.id());
        return new OutgoingMail(resultKey(b.id()), BulkIntake.subject(b.id()), b.email(), "Bulk fulfillment complete: "
                + b.rowsIssued() + " of " + b.rowCount() + " licenses issued", body, null, null);
    }

    static String resultKey(UUID id) {
        return "bulk-mail:" + id;
    }
}
