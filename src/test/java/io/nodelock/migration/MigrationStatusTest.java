package io.nodelock.migration;

import static io.nodelock.migration.MigrationStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MigrationStatusTest {

    @Test
    void aUnitIsRedeemedBeforeSigningAndARefusalComesOnlyBeforeIt() {
        assertThat(SUBMITTED.mayMoveTo(REDEEMED)).isTrue();
        assertThat(SUBMITTED.mayMoveTo(REJECTED)).isTrue();
        assertThat(REDEEMED.mayMoveTo(ISSUED)).isTrue();
        // Once a unit is taken the migration is not refused: the customer paid for the new line.
        assertThat(REDEEMED.mayMoveTo(REJECTED)).isFalse();
        assertThat(SUBMITTED.mayMoveTo(ISSUED)).isFalse();
        for (MigrationStatus end : new MigrationStatus[] {ISSUED, REJECTED}) {
            for (MigrationStatus next : values()) {
                assertThat(end.mayMoveTo(next)).as(end + " -> " + next).isFalse();
            }
        }
        assertThat(MigrationStatus.open()).containsExactlyInAnyOrder(SUBMITTED, REDEEMED);
    }
}
