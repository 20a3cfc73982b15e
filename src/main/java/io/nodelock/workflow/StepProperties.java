package io.nodelock.workflow;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the flows' steps run.
 *
 * @param maxChain the most asynchronous continuations of one instance run in one transaction; 1 commits every step
 *                 alone, as the stock engine does
 */
@ConfigurationProperties(prefix = "nodelock.steps")
public record StepProperties(@DefaultValue("10") int maxChain) {

    public StepProperties {
        if (maxChain < 1) {
            throw new IllegalArgumentException("nodelock.steps.max-chain must be at least 1, was " + maxChain);
        }
    }
}
