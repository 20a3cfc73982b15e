package io.nodelock.devicetool;

import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One license line as the device sees it right now: where it came from, its state, whether it is in use. */
public record LicenseStatus(
        int index,
        LicenseLine line,
        Origin origin,
        State state,
        boolean inUse,
        String reason,
        int usedDays,
        List<String> comments,
        Instant installedAt) {

    /** Where a line came from. */
    public enum Origin {
        /** Shipped with the image (permanent ipbase, emergency evaluation licenses); trusted because of the image. */
        BUILT_IN,
        /** Installed from a license file, signed by a service key in the trust store. */
        INSTALLED,
        /** Created by the device when it revoked a license for rehost; signed with the device key. */
        GRACE
    }

    /** Line state; only ACTIVE lines can enable a feature. */
    public enum State {
        ACTIVE,
        EULA_NOT_ACCEPTED,
        NOT_YET_VALID,
        EXPIRED,
        REVOKED,
        SUSPECT,
        INVALID,
        /** The persistence storage was tampered with: the line's history (revocation, days used) is unknown. */
        TAMPERED
    }

    public LicenseStatus {
        comments = List.copyOf(comments);
    }

    public String feature() {
        return line.feature();
    }

    public String licenseId() {
        return line.licenseId();
    }

    /** Evaluation, extension and grace lines: valid for a number of days of use. */
    public boolean countsDown() {
        return countsDown(line);
    }

    static boolean countsDown(LicenseLine l) {
        return l.type() == LicenseType.EVALUATION || l.type() == LicenseType.EXTENSION;
    }

    /** Lines whose validity depends on the clock: countdown lines and lines with a validity window. */
    public boolean timeLimited() {
        return countsDown() || line.notBefore() != null || line.notAfter() != null;
    }

    public int daysLeft() {
        return Math.max(0, line.usageDays() - usedDays);
    }

    public String typeText() {
        String t = switch (line.type()) {
            case PERMANENT -> "Permanent";
            case EVALUATION -> "Evaluation";
            case EXTENSION -> "Extension";
            case SUBSCRIPTION -> "Subscription";
        };
        return switch (origin) {
            case BUILT_IN -> t.equals("Permanent") ? "Permanent (built-in)" : "Emergency evaluation (built-in)";
            case GRACE -> "Grace period (after revoke)";
            case INSTALLED -> t;
        };
    }

    public String stateText() {
        return switch (state) {
            case ACTIVE -> inUse ? "Active, In Use" : "Active, Not in Use";
            case EULA_NOT_ACCEPTED -> "Inactive, EULA not accepted";
            case NOT_YET_VALID -> "Inactive, not yet valid";
            case EXPIRED -> "Expired";
            case REVOKED -> "Revoked";
            case SUSPECT -> "Suspect, clock moved back";
            case INVALID -> "Invalid";
            case TAMPERED -> "Disabled, persistence storage tampered";
        };
    }

    public String periodLeft(Instant now) {
        if (countsDown()) {
            return daysLeft() + " of " + line.usageDays() + " days of use left";
        }
        if (line.notAfter() != null) {
            if (!now.isBefore(line.notAfter())) {
                return "0 (ended " + line.notAfter() + ")";
            }
            long days = Duration.between(now, line.notAfter()).toDays();
            return "until " + line.notAfter() + " (" + days + " calendar days)";
        }
        return "Life time";
    }

    public String countText() {
        return line.count() == 0 ? "Non-Counted" : String.valueOf(line.count());
    }
}
