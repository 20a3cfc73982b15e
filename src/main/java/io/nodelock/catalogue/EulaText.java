package io.nodelock.catalogue;

import java.util.Objects;

/**
 * One version of the end-user license agreement, as the catalogue holds it (its {@code eulas} section).
 *
 * @param version e.g. {@code "2026-11"}: {@code [A-Za-z0-9][A-Za-z0-9._-]{0,31}}
 * @param title   one line, e.g. "Nodelock End-User License Agreement"
 * @param text    the full text, exactly as the YAML parser read it: what is served, hashed and accepted
 */
public record EulaText(String version, String title, String text) {
    public EulaText {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
    }
}
