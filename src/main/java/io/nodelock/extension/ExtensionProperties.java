package io.nodelock.extension;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Extension policy: which requests are approved at once, which need a TAC approver, which a TAC lead too, and when an
 * unanswered approval escalates.
 *
 * @param maxDays                   the most days of use one request may ask for
 * @param rules                     tried in order; the first that matches decides (approve at once, or review). A request
 *                                  no rule matches is reviewed.
 * @param leadApprovalAboveDays     a request for more days than this needs a TAC lead's approval after the TAC approver's
 * @param leadApprovalFromExtension the n-th extension of a feature on a device (and every later one) needs a TAC lead too
 * @param escalateAfter             an approval task open this long escalates to the TAC leads, and the requester is told
 */
@ConfigurationProperties(prefix = "nodelock.extension")
public record ExtensionProperties(@DefaultValue("180") int maxDays,
                                  @DefaultValue List<Rule> rules,
                                  @DefaultValue("60") int leadApprovalAboveDays,
                                  @DefaultValue("3") int leadApprovalFromExtension,
                                  @DefaultValue("8h") Duration escalateAfter) {

    public enum Decision {
        /** Approved at once, without a person. */
        APPROVE,
        /** A TAC approver decides. */
        REVIEW
    }

    /**
     * One policy rule; an absent condition always holds.
     *
     * @param features            the features it applies to (empty: all)
     * @param maxDays             applies to requests of at most this many days
     * @param maxPriorExtensions  applies when the device had at most this many extensions of the feature before
     * @param minPriorExtensions  applies when the device had at least this many before
     */
    public record Rule(String name, Decision decision, List<String> features, Integer maxDays, Integer maxPriorExtensions,
                       Integer minPriorExtensions) {
        public Rule {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("nodelock.extension.rules: every rule needs a name");
            }
            if (decision == null) {
                throw new IllegalArgumentException("nodelock.extension.rules." + name + ": decision must be APPROVE or REVIEW");
            }
            features = features == null ? List.of() : List.copyOf(features);
        }

        boolean matches(String feature, int days, int priorExtensions) {
            return (features.isEmpty() || features.contains(feature))
                    && (maxDays == null || days <= maxDays)
                    && (maxPriorExtensions == null || priorExtensions <= maxPriorExtensions)
                    && (minPriorExtensions == null || priorExtensions >= minPriorExtensions);
        }
    }

    public ExtensionProperties {
        rules = rules == null ? List.of() : List.copyOf(rules);
        Set<String> names = new HashSet<>();
        for (Rule rule : rules) {
            if (!names.add(rule.name())) {
                throw new IllegalArgumentException("nodelock.extension.rules: two rules are named " + rule.name());
            }
        }
        if (maxDays < 1 || leadApprovalAboveDays < 1 || leadApprovalFromExtension < 1) {
            throw new IllegalArgumentException("nodelock.extension: max-days, lead-approval-above-days and "
                    + "lead-approval-from-extension must be at least 1");
        }
        if (escalateAfter == null || escalateAfter.isNegative() || escalateAfter.isZero()) {
            throw new IllegalArgumentException("nodelock.extension.escalate-after must be a positive duration");
        }
    }
}
