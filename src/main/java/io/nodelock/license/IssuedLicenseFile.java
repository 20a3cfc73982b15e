package io.nodelock.license;

import java.time.Instant;
import java.util.List;

/** A signed license file as issued by one operation (a fulfillment, an RMA or a rehost), with the ids of its lines. */
public record IssuedLicenseFile(String issueId, String content, String keyId, Instant createdAt, List<String> licenseIds) {

    public String fileName() {
        return "nodelock-" + issueId + ".lic";
    }
}
