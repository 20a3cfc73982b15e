package io.nodelock.fulfillment;

import io.nodelock.catalogue.Sku;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.notification.OutgoingMail;

/** The customer's mails of a fulfillment, written for a person who has to install a license on a device. */
final class FulfillmentMails {

    private FulfillmentMails() {
    }

    static OutgoingMail licenseIssued(Fulfillment f, Sku sku, IssuedLicenseFile file) {
        String body = """
                Hello,

                your license for %s (%s) is attached as %s.

                Device (UDI):   %s
                PAK:            %s
                License lines:  %s
                Request id:     %s

                To install it, copy the file to the device and run:

                    license install %s

                Then check with 'show license' that the feature is active. Each line is signed and locked to the
                device above; it will not install on another device. Keep this mail: you can also download the file
                again at any time from /api/v1/fulfillments/%s/license-file.

                Nodelock Licensing
                """.formatted(sku.id(), sku.description(), file.fileName(), f.udi(), f.pakCode(),
                String.join(", ", file.licenseIds()), f.id(), file.fileName(), f.id());
        return new OutgoingMail("license-mail:" + f.id(), "fulfillment:" + f.id(), f.email(), "Your license for " + sku.id() + " on " + f.udi(),
                body, file.fileName(), file.content());
    }

    static OutgoingMail rejected(Fulfillment f, String code, String message) {
        String body = """
                Hello,

                we could not issue the license you asked for.

                Reason:      %s
                Detail:      %s

                Device (UDI): %s
                PAK:          %s
                SKU:          %s
                Request id:   %s

                No PAK units were used. Correct the request and submit it again, or reply with the request id
                if you need help.

                Nodelock Licensing
                """.formatted(code, message, f.udi(), f.pakCode(), f.sku(), f.id());
        return new OutgoingMail("rejection-mail:" + f.id(), "fulfillment:" + f.id(), f.email(), "License request not fulfilled: " + f.sku() + " on " + f.udi(),
                body, null, null);
    }
}
