package io.nodelock.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodelock.extension.ExtensionProperties.Decision;
import io.nodelock.extension.ExtensionProperties.Rule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtensionPolicyTest {

    private static final Rule FIRST_SHORT = new Rule("first-short-extension", Decision.APPROVE, null, 30, 0, null);
    private static final Rule REPEATED = new Rule("repeated-extension", Decision.REVIEW, null, null, null, 1);
    private static final Rule EXPORT = new Rule("export-controlled", Decision.REVIEW, List.of("securityk9"), null, null, null);

    private static ExtensionPolicy policy(Rule... rules) {
        return new ExtensionPolicy(new ExtensionProperties(180, List.of(rules), 60, 3, Duration.ofHours(8)));
    }

    @Test
    void theFirstMatchingRuleDecidesAndIsNamed() {
        ExtensionPolicy policy = policy(FIRST_SHORT, REPEATED);
        assertThat(policy.decide("uck9", 30, 0)).extracting(ExtensionPolicy.Verdict::rule, ExtensionPolicy.Verdict::approveAtOnce,
                ExtensionPolicy.Verdict::needsLead).containsExactly("first-short-extension", true, false);
        assertThat(policy.decide("uck9", 31, 0).rule()).isEqualTo(ExtensionPolicy.RULE_NONE_MATCHED);
        assertThat(policy.decide("uck9", 31, 0).approveAtOnce()).isFalse();
        assertThat(policy.decide("uck9", 10, 1)).extracting(ExtensionPolicy.Verdict::rule, ExtensionPolicy.Verdict::approveAtOnce)
                .containsExactly("repeated-extension", false);
    }

    @Test
    void aReviewRuleBeforeAnApproveRuleAlwaysNeedsAPerson() {
        ExtensionPolicy policy = policy(EXPORT, FIRST_SHORT);
        assertThat(policy.decide("securityk9", 5, 0).rule()).isEqualTo("export-controlled");
        assertThat(policy.decide("securityk9", 5, 0).approveAtOnce()).isFalse();
        assertThat(policy.decide("uck9", 5, 0).approveAtOnce()).isTrue();
    }

    @Test
    void theLeadThresholdsOverrideEveryRule() {
        ExtensionPolicy policy = policy(new Rule("approve-everything", Decision.APPROVE, null, null, null, null));
        assertThat(policy.decide("uck9", 60, 1).approveAtOnce()).isTrue();
        assertThat(policy.decide("uck9", 61, 0)).extracting(ExtensionPolicy.Verdict::rule, ExtensionPolicy.Verdict::approveAtOnce,
                ExtensionPolicy.Verdict::needsLead).containsExactly(ExtensionPolicy.RULE_LEAD_ABOVE_DAYS, false, true);
        // The third extension of a feature on a device (two before it), however short.
        assertThat(policy.decide("uck9", 1, 2)).extracting(ExtensionPolicy.Verdict::rule, ExtensionPolicy.Verdict::needsLead)
                .containsExactly(ExtensionPolicy.RULE_LEAD_FROM_EXTENSION, true);
        assertThat(policy.decide("uck9", 1, 2).detail()).contains("extension number 3");
    }

    @Test
    void badConfigurationIsRefusedAtStartWithItsName() {
        assertThatThrownBy(() -> new ExtensionProperties(180, List.of(FIRST_SHORT, FIRST_SHORT), 60, 3, Duration.ofHours(8)))
                .hasMessageContaining("two rules are named first-short-extension");
        assertThatThrownBy(() -> new Rule(" ", Decision.APPROVE, null, null, null, null)).hasMessageContaining("needs a name");
        assertThatThrownBy(() -> new Rule("x", null, null, null, null, null)).hasMessageContaining("APPROVE or REVIEW");
        assertThatThrownBy(() -> new ExtensionProperties(180, List.of(), 60, 3, Duration.ZERO)).hasMessageContaining("escalate-after");
        assertThatThrownBy(() -> new ExtensionProperties(0, List.of(), 60, 3, Duration.ofHours(1))).hasMessageContaining("max-days");
    }
}
