package io.nodelock.licensefile;

import java.util.Objects;

/** A manufacturing bundle that the strict v1 parser rejects: why ({@link #reason()}) and where ({@link #row()}). */
public final class BundleFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The first broken rule, checked from the top of the file down; see {@code docs/device-identity.md}. */
    public enum Reason {
        /** No text at all. */
        EMPTY,
        /** A character other than printable ASCII, SP and LF (also CR, TAB, a byte-order mark, non-ASCII). */
        BAD_CHARACTER,
        /** The text ends before the bundle is complete: no final LF, or fewer items than the first row announces. */
        TRUNCATED,
        /** The first row does not start with {@code NLMB<digits>}. */
        BAD_PREFIX,
        /** The first row starts with {@code NLMB<digits>} other than {@code NLMB1}. */
        UNSUPPORTED_VERSION,
        /** The first row ({@code NLMB1 udi=... authorities=... licenses=...}) breaks its grammar. */
        BAD_HEADER,
        /** A row that is not the item expected at its place (blank, comment, wrong kind, or one row too many). */
        UNEXPECTED_ROW,
        /** A PEM block whose body is not base64 or that has no END line. */
        BAD_PEM,
        /** The {@code PRIVATE KEY} block is not an Ed25519 PKCS#8 key. */
        BAD_PRIVATE_KEY,
        /** The certificate row does not parse as a strict {@code NLDI1} line. */
        BAD_CERTIFICATE,
        /** An authority {@code PUBLIC KEY} block is not an Ed25519 key, repeats one, or is the device's own key. */
        BAD_AUTHORITY_KEY,
        /** A license row does not parse as a strict license line. */
        BAD_LICENSE_LINE,
        /** Every item parses, but the text is not the one spelling the writer produces (e.g. PEM layout). */
        NON_CANONICAL
    }

    private final Reason reason;
    private final int row;

    public BundleFormatException(Reason reason, int row, String message) {
        this(reason, row, message, null);
    }

    public BundleFormatException(Reason reason, int row, String message, Throwable cause) {
        super((row > 0 ? "row " + row + ": " : "") + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.row = row;
    }

    public Reason reason() {
        return reason;
    }

    /** 1-based row the problem was found in; 0 when it concerns the file as a whole. */
    public int row() {
        return row;
    }
}
