package io.nodelock.report;

import java.time.Duration;
import java.time.Instant;

/**
 * When a license can end, as the service knows it. A subscription ends at its signed end ({@code not_after}). An
 * evaluation or extension counts days of use on the device, which the service cannot see; the earliest it can run
 * out is its issue time plus its days of use (used every day from the start), so that is the end reports and alerts
 * use, named "earliest end". Permanent licenses never end.
 */
final class LicenseEnd {

    private LicenseEnd() {
    }

    static Instant of(String type, Instant issuedAt, int usageDays, Instant notAfter) {
        return switch (type) {
            case "SUBSCRIPTION" -> notAfter;
            case "EVALUATION", "EXTENSION" -> issuedAt.plus(Duration.ofDays(usageDays));
            default -> null;
        };
    }
}
