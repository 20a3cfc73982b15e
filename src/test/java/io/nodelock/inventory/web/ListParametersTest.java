package io.nodelock.inventory.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodelock.api.ApiProblem;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class ListParametersTest {

    @Test
    void aUdiPrefixIsReadInEachDocumentedSpelling() {
        assertThat(ListParameters.udiPrefix("PID:C1111-4P,SN:FGL2")).isEqualTo("PID:C1111-4P,SN:FGL2");
        assertThat(ListParameters.udiPrefix("C1111-4P_FGL2")).isEqualTo("PID:C1111-4P,SN:FGL2");
        assertThat(ListParameters.udiPrefix("ISR4331~K9_FDO")).isEqualTo("PID:ISR4331/K9,SN:FDO");
        assertThat(ListParameters.udiPrefix("ISR43")).isEqualTo("PID:ISR43");
        assertThat(ListParameters.udiPrefix(null)).isNull();
        for (String bad : new String[] {"pid:c1111", "_FGL", "A_B_C", "", "PID:C1111 4P", "A".repeat(81), "PID:\u00e9"}) {
            assertThatThrownBy(() -> ListParameters.udiPrefix(bad)).as(bad).isInstanceOf(ApiProblem.class)
                    .satisfies(e -> assertThat(((ApiProblem) e).fieldErrors().get(0).field()).isEqualTo("udiPrefix"));
        }
    }

    @Test
    void aPakPrefixIsReadAsPeopleTypeCodes() {
        assertThat(ListParameters.pakPrefix("dem0-c1")).isEqualTo("DEM0C1");
        assertThat(ListParameters.pakPrefix("DEMO C1l")).isEqualTo("DEM0C11");
        for (String bad : new String[] {"U", "-", "DEM0-C111-1000-0015-0", "ä"}) {
            assertThatThrownBy(() -> ListParameters.pakPrefix(bad)).as(bad).isInstanceOf(ApiProblem.class);
        }
    }

    @Test
    void timesAreInstantsWithTheirOffsetOrDatesInUtc() {
        assertThat(ListParameters.time("t", "2026-12-01")).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(ListParameters.time("t", "2026-12-01T09:30:00+01:00")).isEqualTo(Instant.parse("2026-12-01T08:30:00Z"));
        assertThat(ListParameters.time("t", "2026-12-01T08:30:00.5Z")).isEqualTo(Instant.parse("2026-12-01T08:30:00.500Z"));
        for (String bad : new String[] {"2026-12-01T08:30:00", "yesterday", "2026-13-01", ""}) {
            assertThatThrownBy(() -> ListParameters.time("t", bad)).as(bad).isInstanceOf(ApiProblem.class);
        }
    }

    @Test
    void unknownAndRepeatedParametersAreRefused() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addParameter("status", "ACTIVE");
        request.addParameter("limit", "5");
        ListParameters.onlyKnown(request, Set.of("status"));
        request.addParameter("status", "REVOKED");
        assertThatThrownBy(() -> ListParameters.onlyKnown(request, Set.of("status"))).hasMessageContaining("given 2 times");
        MockHttpServletRequest typo = new MockHttpServletRequest();
        typo.addParameter("stauts", "ACTIVE");
        assertThatThrownBy(() -> ListParameters.onlyKnown(typo, Set.of("status"))).hasMessageContaining("unknown parameter 'stauts'");
    }

    @Test
    void ifNoneMatchIsComparedWeakly() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        assertThat(Conditional.matches(request, "W/\"abc\"")).isFalse();
        request.addHeader("If-None-Match", "\"x\", W/\"abc\"");
        assertThat(Conditional.matches(request, "W/\"abc\"")).isTrue();
        MockHttpServletRequest strong = new MockHttpServletRequest();
        strong.addHeader("If-None-Match", "\"abc\"");
        assertThat(Conditional.matches(strong, "W/\"abc\"")).isTrue();
        MockHttpServletRequest any = new MockHttpServletRequest();
        any.addHeader("If-None-Match", "*");
        assertThat(Conditional.matches(any, "W/\"abc\"")).isTrue();
        MockHttpServletRequest other = new MockHttpServletRequest();
        other.addHeader("If-None-Match", "W/\"abcd\", garbage");
        assertThat(Conditional.matches(other, "W/\"abc\"")).isFalse();
    }
}
