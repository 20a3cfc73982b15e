package io.nodelock.eula;

import java.util.Objects;

/**
 * One version of the end-user license agreement.
 *
 * @param text   the full text, exactly as served by {@code GET /api/v1/eulas/{version}}
 * @param sha256 SHA-256 of {@code text} in UTF-8, lower-case hex: what a consent records as the text accepted
 */
public record Eula(String version, String title, String text, String sha256) {
    public Eula {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(sha256, "sha256");
    }
}
