package io.nodelock.resend;

import static io.nodelock.resend.ResendStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResendStatusTest {

    @Test
    void aResendEndsOnceIssuedOrRejected() {
        assertThat(SUBMITTED.mayMoveTo(ISSUED)).isTrue();
        assertThat(SUBMITTED.mayMoveTo(REJECTED)).isTrue();
        for (ResendStatus end : new ResendStatus[] {ISSUED, REJECTED}) {
            for (ResendStatus next : values()) {
                assertThat(end.mayMoveTo(next)).as(end + " -> " + next).isFalse();
            }
        }
    }
}
