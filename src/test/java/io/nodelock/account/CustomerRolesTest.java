package io.nodelock.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Customers never hold engine identities: no customer role, account-level or personal, maps to an engine group. */
class CustomerRolesTest {

    @Test
    void noCustomerRoleMapsToAnEngineGroup() {
        assertThat(Role.CUSTOMER.engineGroup()).isNull();
        // The staff roles' groups are the only engine groups; a person's role is none of them, by name or authority.
        var engineGroups = Arrays.stream(Role.values()).map(Role::engineGroup).filter(g -> g != null).toList();
        for (AccountUserRole role : AccountUserRole.values()) {
            assertThat(engineGroups).doesNotContain(role.name(), role.name().toLowerCase(), role.authority());
            assertThat(Arrays.stream(Role.values()).map(Role::authority)).doesNotContain(role.authority());
        }
    }

    @Test
    void rolesParseByFullOrShortName() {
        assertThat(AccountUserRole.parse("viewer")).contains(AccountUserRole.ACCOUNT_VIEWER);
        assertThat(AccountUserRole.parse(" ACCOUNT_ADMIN ")).contains(AccountUserRole.ACCOUNT_ADMIN);
        assertThat(AccountUserRole.parse("operator")).isEmpty();
        assertThat(AccountUserRole.parse(null)).isEmpty();
        assertThat(AccountUserRole.ACCOUNT_VIEWER.mayWrite()).isFalse();
    }
}
