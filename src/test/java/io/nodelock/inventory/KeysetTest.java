package io.nodelock.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeysetTest {

    @Test
    void aCursorNamesItsPositionExactlyAndOnlyInItsOwnList() {
        Keyset position = new Keyset(Instant.parse("2026-12-01T08:30:00.123456Z"), "PID:C1111-4P,SN:FGL2231AB1C");
        String cursor = position.encode("devices");
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(Keyset.decode("devices", cursor)).isEqualTo(position);
        assertThatThrownBy(() -> Keyset.decode("licenses", cursor)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another list");
    }

    @Test
    void anythingElseIsRefused() {
        String notAUuid = new Keyset(Instant.now(), "x").encode("rmas");
        for (String bad : new String[] {"", "!!", "YWJj", b64("1:devices:x:0:id"), b64("2:devices:1:0:id"), b64("1:devices:1:-1:id"),
                b64("1:devices:1:0:"), b64("1:devices:99999999999999999:0:id")}) {
            assertThatThrownBy(() -> Keyset.decode("devices", bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Keyset.decodeUuid("rmas", notAUuid)).isInstanceOf(IllegalArgumentException.class);
        String uuid = UUID.randomUUID().toString();
        assertThat(Keyset.decodeUuid("rmas", new Keyset(Instant.EPOCH, uuid).encode("rmas")).id()).isEqualTo(uuid);
    }

    @Test
    void aPageSaysWhereTheNextStartsOnlyWhenThereIsOne() {
        java.util.List<Keyset> rows = java.util.List.of(new Keyset(Instant.ofEpochSecond(3), "c"), new Keyset(Instant.ofEpochSecond(2), "b"),
                new Keyset(Instant.ofEpochSecond(1), "a"));
        Page<Keyset> full = Page.of(rows, 2, "x", k -> k);
        assertThat(full.items()).hasSize(2);
        assertThat(Keyset.decode("x", full.next())).isEqualTo(rows.get(1));
        assertThat(Page.of(rows, 3, "x", k -> k).next()).isNull();
    }

    private static String b64(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
}
