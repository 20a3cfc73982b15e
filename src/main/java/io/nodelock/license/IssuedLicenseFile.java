package io.nodelock.license;

import java.time.Instant;
import java.util.List;

/** A signed license file as issued for one fulfillment, with the ids of its lines. */
public record IssuedLicenseFile(String fulfillmentId, String content, String keyId, Instant createdAt, List<String> licenseIds) {

    public String fileName() {
        return "nodelock-" + fulfillmentId + ".lic";
    }
}
