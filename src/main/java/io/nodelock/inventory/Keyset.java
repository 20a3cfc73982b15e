package io.nodelock.inventory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A position in a list sorted newest first by (created time, id): the last row a page showed. Its text form is the
 * opaque {@code cursor} of the API; it names its list, so a cursor of one list is refused by another. Rows added
 * later sort before any cursor taken earlier (they are newer), so a walk through the pages neither repeats nor skips
 * a row that existed when it started.
 */
public record Keyset(Instant at, String id) {

    private static final String VERSION = "1";

    /** The cursor text for this position in {@code list}. */
    public String encode(String list) {
        String raw = VERSION + ":" + list + ":" + at.getEpochSecond() + ":" + at.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Like {@link #decode}, for a list whose ids are UUIDs. */
    public static Keyset decodeUuid(String list, String cursor) {
        Keyset keyset = decode(list, cursor);
        try {
            java.util.UUID.fromString(keyset.id());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is not one this service gave out; pass the 'next' of the previous page");
        }
        return keyset;
    }

    /**
     * The position a cursor of {@code list} names.
     *
     * @throws IllegalArgumentException when the text is not a cursor of this list
     */
    public static Keyset decode(String list, String cursor) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is not one this service gave out; pass the 'next' of the previous page");
        }
        String[] parts = raw.split(":", 5);
        if (parts.length != 5 || !parts[0].equals(VERSION) || parts[4].isEmpty()) {
            throw new IllegalArgumentException("cursor is not one this service gave out; pass the 'next' of the previous page");
        }
        if (!parts[1].equals(list)) {
            throw new IllegalArgumentException("cursor belongs to another list (" + parts[1] + "); pass the 'next' of this list's "
                    + "previous page");
        }
        try {
            long seconds = Long.parseLong(parts[2]);
            int nanos = Integer.parseInt(parts[3]);
            if (nanos < 0 || nanos > 999_999_999) {
                throw new NumberFormatException();
            }
            return new Keyset(Instant.ofEpochSecond(seconds, nanos), parts[4]);
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("cursor is not one this service gave out; pass the 'next' of the previous page");
        }
    }
}
