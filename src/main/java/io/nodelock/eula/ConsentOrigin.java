package io.nodelock.eula;

import java.util.regex.Pattern;

/**
 * Where a consent came from, as the entry point saw it: {@code channel} (e.g. {@code "api"}), the client's address
 * and its User-Agent. Web controllers build it from the request; the domain keeps it as plain text. Values are
 * recorded, never trusted: an address or agent a client sends may be anything, so they are cut to their columns'
 * width and control characters are replaced (a log or audit line must not be forged through them).
 *
 * @param remoteAddress the client's address as the server saw it (behind a proxy, see
 *                      {@code server.forward-headers-strategy}); may be null
 * @param userAgent     the User-Agent header; may be null
 */
public record ConsentOrigin(String channel, String remoteAddress, String userAgent) {

    /** The REST API. */
    public static final String API = "api";

    private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9-]{0,19}");
    static final int ADDRESS_MAX = 64;
    static final int USER_AGENT_MAX = 500;

    public ConsentOrigin {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("channel must match " + CHANNEL + ", was " + channel);
        }
        remoteAddress = clean(remoteAddress, ADDRESS_MAX);
        userAgent = clean(userAgent, USER_AGENT_MAX);
    }

    /** A consent given through the REST API. */
    public static ConsentOrigin api(String remoteAddress, String userAgent) {
        return new ConsentOrigin(API, remoteAddress, userAgent);
    }

    private static String clean(String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        // characters, not UTF-16 units: what PostgreSQL's varchar(n) counts
        StringBuilder out = new StringBuilder(Math.min(value.length(), max));
        value.strip().codePoints().limit(max).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
