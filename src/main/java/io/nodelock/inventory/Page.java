package io.nodelock.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: its items and the cursor of the next page, null on the last page (always written, also null, so
 * a client can tell "no more" from "field missing").
 */
public record Page<T>(List<T> items, @JsonInclude(JsonInclude.Include.ALWAYS) String next) {

    /**
     * The page of {@code rows}, which a query read with one row more than {@code limit}: that extra row says whether a
     * next page exists, and the last row shown is where it starts.
     */
    static <T> Page<T> of(List<T> rows, int limit, String list, Function<T, Keyset> key) {
        if (rows.size() <= limit) {
            return new Page<>(List.copyOf(rows), null);
        }
        List<T> shown = List.copyOf(rows.subList(0, limit));
        return new Page<>(shown, key.apply(shown.get(limit - 1)).encode(list));
    }
}
