package io.nodelock.extension;

import org.springframework.stereotype.Component;

/** Decides, from configuration alone, how an extension request is approved; the rule that decided is named. */
@Component
class ExtensionPolicy {

    static final String RULE_LEAD_ABOVE_DAYS = "lead-approval-above-days";
    static final String RULE_LEAD_FROM_EXTENSION = "lead-approval-from-extension";
    static final String RULE_NONE_MATCHED = "no-rule-matched";

    /**
     * @param rule         the name of the rule that decided
     * @param approveAtOnce true when no person needs to approve
     * @param needsLead    true when a TAC lead approves after the TAC approver
     * @param detail       why, in words an approver and the customer read
     */
    record Verdict(String rule, boolean approveAtOnce, boolean needsLead, String detail) {
    }

    private final ExtensionProperties properties;

    ExtensionPolicy(ExtensionProperties properties) {
        this.properties = properties;
    }

    /** The verdict for a request of {@code days} days for a device that had {@code priorExtensions} extensions of the feature. */
    Verdict decide(String feature, int days, int priorExtensions) {
        int nth = priorExtensions + 1;
        // The lead thresholds come first: no approve-at-once rule may wave through what needs two people.
        if (days > properties.leadApprovalAboveDays()) {
            return new Verdict(RULE_LEAD_ABOVE_DAYS, false, true, days + " days is more than "
                    + properties.leadApprovalAboveDays() + ": a TAC approver and a TAC lead both approve");
        }
        if (nth >= properties.leadApprovalFromExtension()) {
            return new Verdict(RULE_LEAD_FROM_EXTENSION, false, true, "extension number " + nth + " of " + feature
                    + " on this device (from number " + properties.leadApprovalFromExtension()
                    + " on, a TAC approver and a TAC lead both approve)");
        }
        for (ExtensionProperties.Rule rule : properties.rules()) {
            if (rule.matches(feature, days, priorExtensions)) {
                boolean approve = rule.decision() == ExtensionProperties.Decision.APPROVE;
                return new Verdict(rule.name(), approve, false, (approve ? "approved at once by rule " : "TAC review required by rule ")
                        + rule.name() + " (extension number " + nth + ", " + days + " days)");
            }
        }
        return new Verdict(RULE_NONE_MATCHED, false, false, "no rule approves extension number " + nth + " of " + days
                + " days at once: a TAC approver decides");
    }
}
