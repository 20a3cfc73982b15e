package io.nodelock.pak;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * A PAK code: 15 data characters and one check character from Crockford's base-32 alphabet, written in four
 * groups of four ({@code 7KQ4-M2XD-9TPZ-RW3E}). The check character (Damm's scheme over GF(32)) catches every
 * single-character typo and every swap of two adjacent characters before any database lookup. Input is forgiving the way people
 * type: case, spaces and dashes do not matter, and O, I and L are read as 0, 1 and 1.
 */
public final class PakCode {

    static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int DATA_LENGTH = 15;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;

    private PakCode(String value) {
        this.value = value;
    }

    public static PakCode parse(String input) {
        if (input == null || input.isBlank()) {
            throw new PakCodeException("PAK is empty: enter the 16-character code from your order, e.g. 7KQ4-M2XD-9TPZ-RW3E.");
        }
        StringBuilder normalized = new StringBuilder();
        for (int i = 0; i < input.length(); i++) {
            char raw = input.charAt(i);
            // Only ASCII is upper-cased: Unicode case mapping would turn e.g. a dotless i into a valid '1'.
            char c = raw < 128 ? Character.toUpperCase(raw) : raw;
            if (c == '-' || c == ' ') {
                continue;
            }
            c = switch (c) {
                case 'O' -> '0';
                case 'I', 'L' -> '1';
                default -> c;
            };
            if (ALPHABET.indexOf(c) < 0) {
                throw new PakCodeException("PAK has an invalid character '" + input.charAt(i) + "' at position " + (i + 1)
                        + ": only digits and the letters A-Z except U are used.");
            }
            normalized.append(c);
        }
        if (normalized.length() != DATA_LENGTH + 1) {
            throw new PakCodeException("PAK has " + normalized.length() + " characters (dashes and spaces not counted); "
                    + "a PAK has 16, e.g. 7KQ4-M2XD-9TPZ-RW3E.");
        }
        String data = normalized.substring(0, DATA_LENGTH);
        if (checkCharacter(data) != normalized.charAt(DATA_LENGTH)) {
            throw new PakCodeException("PAK check character does not match: the code probably has a typo. "
                    + "Compare it character by character with your order.");
        }
        return new PakCode(normalized.toString());
    }

    /** A new random code, for operators creating PAKs. */
    public static PakCode random() {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < DATA_LENGTH; i++) {
            data.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return fromData(data.toString());
    }

    /** A code for fixed data (15 characters of the alphabet); used for reproducible demo PAKs. */
    public static PakCode fromData(String data) {
        if (data == null) {
            throw new IllegalArgumentException("PAK data must not be null");
        }
        String upper = data.toUpperCase(Locale.ROOT);
        if (upper.length() != DATA_LENGTH || !upper.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            throw new IllegalArgumentException("PAK data must be " + DATA_LENGTH + " characters of " + ALPHABET);
        }
        return new PakCode(upper + checkCharacter(upper));
    }

    static char checkCharacter(String data) {
        // Damm's scheme over GF(32): x * y = 2x + y is a totally anti-symmetric quasigroup, so a final state of
        // zero catches every single substitution and every swap of two adjacent characters (check included).
        // A weighted mod-32 sum (Luhn mod N) cannot: it misses the 0<->Z swap.
        int state = 0;
        for (int i = 0; i < data.length(); i++) {
            state = times2(state) ^ ALPHABET.indexOf(data.charAt(i));
        }
        return ALPHABET.charAt(times2(state));
    }

    /** Multiplication by x in GF(2^5) with the primitive polynomial x^5 + x^2 + 1. */
    private static int times2(int value) {
        int shifted = value << 1;
        return (shifted & 0x20) != 0 ? (shifted ^ 0x25) : shifted;
    }

    /** The 16 characters without separators, as stored. */
    public String value() {
        return value;
    }

    /** The code as printed for people: four groups of four. */
    public String formatted() {
        return value.substring(0, 4) + "-" + value.substring(4, 8) + "-" + value.substring(8, 12) + "-" + value.substring(12);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PakCode other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return formatted();
    }
}
