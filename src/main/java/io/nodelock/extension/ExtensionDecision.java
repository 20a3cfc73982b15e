package io.nodelock.extension;

import java.time.Instant;

/**
 * One approval round of an extension request, as its completed user task recorded it.
 *
 * @param round     1 for the TAC approval, 2 for the TAC lead's confirmation
 * @param days      days of use granted (at most what was asked, or what round 1 granted); null when rejected
 */
public record ExtensionDecision(int round, String taskId, String decidedBy, String decision, Integer days, String comment,
                                Instant decidedAt) {

    public boolean approved() {
        return "approve".equals(decision);
    }
}
