package io.nodelock.report;

import java.time.Instant;

/** An active license that can end: an evaluation, an extension or a subscription, with its (earliest) end. */
record TimeBoundLicense(String id, String accountId, String udi, String feature, String sku, String type, Instant issuedAt,
                        Instant endsAt) {
}
