package io.nodelock.manufacturing;

import io.nodelock.notification.OutgoingMail;
import java.util.UUID;

/**
 * The mails of a manufacturing order. They say what was made and where to fetch it; never a bundle, key or license
 * line: the bundles are downloaded by operators only.
 */
final class ManufacturingMails {

    static final String TO_OPERATOR = "operator";
    static final String TO_ACCOUNT = "account";

    private ManufacturingMails() {
    }

    static OutgoingMail readyForOperator(ManufacturingOrder o, String email) {
        String body = """
                Hello,

                Manufacturing order %s (%s) for account %s is complete: %d of %d devices are made%s.

                Download the factory archive (one bundle per device and manifest.csv) from
                GET /api/v1/manufacturing-orders/%s/archive and load it onto the factory line; each device runs
                'device init --bundle <file>'. The bundles hold the devices' private keys: keep the archive like a
                secret, and once the factory has it, erase the stored copies with
                DELETE /api/v1/manufacturing-orders/%s/bundles.

                Nodelock Licensing
                """.formatted(o.id(), o.reference(), o.accountId(), o.devicesMade(), o.deviceCount(),
                o.devicesFailed() == 0 ? "" : "; " + o.devicesFailed() + " failed (see the order's devices for why)", o.id(), o.id());
        return new OutgoingMail(readyKey(o.id(), TO_OPERATOR), ManufacturingIntake.subject(o.id()), email,
                "Manufacturing order " + o.reference() + " is ready: " + o.devicesMade() + " devices", body, null, null);
    }

    static OutgoingMail readyForAccount(ManufacturingOrder o, String email) {
        String body = """
                Hello,

                %d devices are being manufactured for you (order reference %s), with their licenses preinstalled.
                They are recorded as your account's devices, and their licenses are in your account like any other:
                a license resend of a device includes them.

                Nodelock Licensing
                """.formatted(o.devicesMade(), o.reference());
        return new OutgoingMail(readyKey(o.id(), TO_ACCOUNT), ManufacturingIntake.subject(o.id()), email,
                o.devicesMade() + " devices manufactured for you (" + o.reference() + ")", body, null, null);
    }

    static OutgoingMail rejected(ManufacturingOrder o, String email) {
        String body = """
                Hello,

                Manufacturing order %s (%s) for account %s was refused; nothing was made and no PAK unit was used.

                Reason: %s
                Detail: %s

                Nodelock Licensing
                """.formatted(o.id(), o.reference(), o.accountId(), o.rejectionCode(), o.rejectionMessage());
        return new OutgoingMail(readyKey(o.id(), TO_OPERATOR), ManufacturingIntake.subject(o.id()), email,
                "Manufacturing order " + o.reference() + " refused", body, null, null);
    }

    static String readyKey(UUID id, String recipient) {
        return "manufacturing-mail:" + id + ":" + recipient;
    }
}
