package io.nodelock.pak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing, normalisation, error messages and the error-detecting promise of the check character. */
class PakCodeTest {

    private static final String ALPHABET = PakCode.ALPHABET;
    /** Fixed seed: a failure names codes that can be reproduced. */
    private static final long SEED = 0x5EED_C0DEL;
    private static final int SAMPLES = 300;

    // ---------------------------------------------------------------- round trip and normalisation

    @Test
    void formatsAsFourGroupsAndParsesBack() {
        PakCode code = PakCode.fromData("7KQ4M2XD9TPZRW3");
        assertThat(code.value()).hasSize(16).startsWith("7KQ4M2XD9TPZRW3");
        assertThat(code.formatted()).matches("[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}");
        assertThat(code.formatted().replace("-", "")).isEqualTo(code.value());
        assertThat(code.toString()).isEqualTo(code.formatted());
        assertThat(PakCode.parse(code.formatted())).isEqualTo(code);
        assertThat(PakCode.parse(code.value())).isEqualTo(code);
        assertThat(PakCode.parse(code.formatted()).hashCode()).isEqualTo(code.hashCode());
    }

    @Test
    void roundTripsForRandomData() {
        Random random = new Random(SEED);
        for (int n = 0; n < SAMPLES; n++) {
            PakCode code = PakCode.fromData(randomData(random));
            assertThat(PakCode.parse(code.formatted())).isEqualTo(code);
            assertThat(PakCode.parse(code.value()).value()).isEqualTo(code.value());
            assertThat(PakCode.parse(code.formatted()).formatted()).isEqualTo(code.formatted());
        }
    }

    @Test
    void ignoresCaseSpacesAndDashes() {
        PakCode code = PakCode.fromData("7KQ4M2XD9TPZRW3");
        String v = code.value();
        assertThat(PakCode.parse(v.toLowerCase())).isEqualTo(code);
        assertThat(PakCode.parse(code.formatted().toLowerCase())).isEqualTo(code);
        assertThat(PakCode.parse(v.substring(0, 4) + " " + v.substring(4, 8) + " " + v.substring(8, 12) + " "
                + v.substring(12))).isEqualTo(code);
        assertThat(PakCode.parse("  " + code.formatted() + "  ")).isEqualTo(code);
        assertThat(PakCode.parse(String.join("-", v.split("")))).isEqualTo(code);
        assertThat(PakCode.parse("--" + v.substring(0, 7) + " - " + v.substring(7) + "- ")).isEqualTo(code);
    }

    @Test
    void readsOAsZeroAndIAndLAsOne() {
        PakCode code = PakCode.fromData("101010000000A7Z");
        String typed = "IOLOI" + code.value().substring(5); // I->1, O->0, L->1, O->0, I->1
        assertThat(PakCode.parse(typed)).isEqualTo(code);
        assertThat(PakCode.parse(typed.toLowerCase())).isEqualTo(code);
        String mixed = "iOlOI" + code.value().substring(5);
        assertThat(PakCode.parse(mixed).value()).isEqualTo(code.value());
        assertThat(PakCode.parse(mixed).value()).doesNotContain("O", "I", "L");
    }

    @Test
    void equalityIsByValue() {
        PakCode a = PakCode.fromData("ABCDEFGHJKMNPQR");
        PakCode b = PakCode.fromData("abcdefghjkmnpqr");
        PakCode c = PakCode.fromData("ABCDEFGHJKMNPQS");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c).isNotEqualTo(a.value()).isNotEqualTo(null);
    }

    // ---------------------------------------------------------------- error messages

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "   ", "\t", "\n "})
    void rejectsEmptyInput(String input) {
        assertThatThrownBy(() -> PakCode.parse(input))
                .isInstanceOf(PakCodeException.class)
                .hasMessageStartingWith("PAK is empty")
                .hasMessageContaining("16-character");
    }

    @Test
    void rejectsBadCharacterNamingItAndItsPosition() {
        // U is the one letter left out of Crockford's alphabet.
        assertThatThrownBy(() -> PakCode.parse("7KQ4-M2XU-9TPZ-RW3E"))
                .isInstanceOf(PakCodeException.class)
                .hasMessageStartingWith("PAK has an invalid character 'U' at position 9:")
                .hasMessageContaining("except U");
        // The position counts the input as typed, dashes included, and names the character as typed.
        assertThatThrownBy(() -> PakCode.parse("7KQ4-M2Xu-9TPZ-RW3E"))
                .hasMessageStartingWith("PAK has an invalid character 'u' at position 9:");
        assertThatThrownBy(() -> PakCode.parse("7KQ4M2X_9TPZRW3E"))
                .hasMessageStartingWith("PAK has an invalid character '_' at position 8:");
        assertThatThrownBy(() -> PakCode.parse("*KQ4"))
                .hasMessageStartingWith("PAK has an invalid character '*' at position 1:");
        assertThatThrownBy(() -> PakCode.parse("  7KQ4.M2XD"))
                .hasMessageStartingWith("PAK has an invalid character '.' at position 7:");
        assertThatThrownBy(() -> PakCode.parse("7KQ4-M2XD-9TPZ-RW3!"))
                .hasMessageStartingWith("PAK has an invalid character '!' at position 19:");
        // Tabs are not separators, only spaces and dashes are.
        assertThatThrownBy(() -> PakCode.parse("7KQ4\tM2XD"))
                .hasMessageStartingWith("PAK has an invalid character '\t' at position 5:");
        // The first bad character is reported, even before a wrong length is noticed.
        assertThatThrownBy(() -> PakCode.parse("AB#C%"))
                .hasMessageStartingWith("PAK has an invalid character '#' at position 3:");
    }

    @Test
    void everyCharacterOutsideTheAlphabetIsRejected() {
        PakCode code = PakCode.fromData("7KQ4M2XD9TPZRW3");
        for (char c = 0; c < 128; c++) {
            char upper = Character.toUpperCase(c);
            boolean accepted = ALPHABET.indexOf(upper) >= 0 || "OIL".indexOf(upper) >= 0 || c == ' ' || c == '-';
            if (accepted) {
                continue;
            }
            String input = code.value().substring(0, 5) + c + code.value().substring(5);
            assertThatThrownBy(() -> PakCode.parse(input))
                    .as("character %d", (int) c)
                    .isInstanceOf(PakCodeException.class)
                    .hasMessageStartingWith("PAK has an invalid character '" + c + "' at position 6:");
        }
    }

    @Test
    void rejectsWrongLengthCountingOnlyCodeCharacters() {
        assertThatThrownBy(() -> PakCode.parse("7KQ4-M2XD-9TPZ-RW3"))
                .isInstanceOf(PakCodeException.class)
                .hasMessageStartingWith("PAK has 15 characters (dashes and spaces not counted); a PAK has 16");
        assertThatThrownBy(() -> PakCode.parse("7KQ4-M2XD-9TPZ-RW3E-1"))
                .hasMessageStartingWith("PAK has 17 characters (dashes and spaces not counted)");
        assertThatThrownBy(() -> PakCode.parse("A"))
                .hasMessageStartingWith("PAK has 1 characters");
        assertThatThrownBy(() -> PakCode.parse("- - -"))
                .hasMessageStartingWith("PAK has 0 characters");
        String valid = PakCode.fromData("7KQ4M2XD9TPZRW3").value();
        assertThatThrownBy(() -> PakCode.parse(valid + valid))
                .hasMessageStartingWith("PAK has 32 characters");
    }

    @Test
    void rejectsCheckMismatch() {
        PakCode code = PakCode.fromData("7KQ4M2XD9TPZRW3");
        char check = code.value().charAt(15);
        char wrong = ALPHABET.charAt((ALPHABET.indexOf(check) + 1) % ALPHABET.length());
        assertThatThrownBy(() -> PakCode.parse(code.value().substring(0, 15) + wrong))
                .isInstanceOf(PakCodeException.class)
                .hasMessageStartingWith("PAK check character does not match: the code probably has a typo.");
    }

    @Test
    void exceptionIsAnIllegalArgumentException() {
        assertThatThrownBy(() -> PakCode.parse("x")).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- what the check character promises
    // PakCode's Javadoc: "catches every single-character typo and every swap of two adjacent characters".

    /** Exactly one check character makes 15 data characters a valid code. */
    @Test
    void exactlyOneCheckCharacterIsValid() {
        Random random = new Random(SEED);
        for (int n = 0; n < SAMPLES; n++) {
            String data = randomData(random);
            List<Character> valid = new ArrayList<>();
            for (char c : ALPHABET.toCharArray()) {
                if (parses(data + c)) {
                    valid.add(c);
                }
            }
            assertThat(valid).as("data %s", data).containsExactly(PakCode.fromData(data).value().charAt(15));
        }
    }

    @Test
    void everySingleCharacterSubstitutionIsRejected() {
        Random random = new Random(SEED);
        List<String> undetected = new ArrayList<>();
        for (int n = 0; n < SAMPLES; n++) {
            String value = PakCode.fromData(randomData(random)).value();
            for (int i = 0; i < value.length(); i++) {
                for (char c : ALPHABET.toCharArray()) {
                    if (c == value.charAt(i)) {
                        continue;
                    }
                    String typo = value.substring(0, i) + c + value.substring(i + 1);
                    if (!rejectedAsTypo(typo)) {
                        undetected.add(value + " -> " + typo);
                    }
                }
            }
        }
        assertThat(undetected).as("substitutions the check character lets through").isEmpty();
    }

    @Test
    void everySwapOfTwoAdjacentDifferentCharactersIsRejected() {
        Random random = new Random(SEED);
        List<String> undetected = new ArrayList<>();
        for (int n = 0; n < SAMPLES; n++) {
            String value = PakCode.fromData(randomData(random)).value();
            collectUndetectedSwaps(value, undetected);
        }
        assertThat(undetected).as("adjacent swaps the check character lets through").isEmpty();
    }

    /**
     * The same property over every pair of alphabet characters at every position, so that no pair escapes because
     * random sampling happened to miss it.
     */
    @Test
    void everyPairOfCharactersSwappedAtEveryPositionIsRejected() {
        Random random = new Random(SEED);
        List<String> undetected = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            for (char a : ALPHABET.toCharArray()) {
                for (char b : ALPHABET.toCharArray()) {
                    if (a == b) {
                        continue;
                    }
                    // Place a,b at positions i,i+1 (i+1 == 15 means b is the check character).
                    StringBuilder data = new StringBuilder(randomData(random));
                    String value;
                    if (i < 14) {
                        data.setCharAt(i, a);
                        data.setCharAt(i + 1, b);
                        value = PakCode.fromData(data.toString()).value();
                    } else {
                        value = findDataEndingWithCheck(data, a, b);
                        if (value == null) {
                            continue;
                        }
                    }
                    String swapped = value.substring(0, i) + value.charAt(i + 1) + value.charAt(i) + value.substring(i + 2);
                    if (!rejectedAsTypo(swapped)) {
                        undetected.add(value + " -> " + swapped);
                    }
                }
            }
        }
        assertThat(undetected).as("adjacent swaps the check character lets through").isEmpty();
    }

    /** Data whose last character is {@code a} and whose check character is {@code b}; varies position 0. */
    private static String findDataEndingWithCheck(StringBuilder data, char a, char b) {
        data.setCharAt(14, a);
        for (char first : ALPHABET.toCharArray()) {
            data.setCharAt(0, first);
            String value = PakCode.fromData(data.toString()).value();
            if (value.charAt(15) == b) {
                return value;
            }
        }
        return null;
    }

    private static void collectUndetectedSwaps(String value, List<String> undetected) {
        for (int i = 0; i + 1 < value.length(); i++) {
            if (value.charAt(i) == value.charAt(i + 1)) {
                continue;
            }
            String swapped = value.substring(0, i) + value.charAt(i + 1) + value.charAt(i) + value.substring(i + 2);
            if (!rejectedAsTypo(swapped)) {
                undetected.add(value + " -> " + swapped);
            }
        }
    }

    private static boolean rejectedAsTypo(String input) {
        try {
            PakCode.parse(input);
            return false;
        } catch (PakCodeException e) {
            assertThat(e).hasMessageStartingWith("PAK check character does not match");
            return true;
        }
    }

    private static boolean parses(String input) {
        try {
            PakCode.parse(input);
            return true;
        } catch (PakCodeException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- fromData and random

    @Test
    void fromDataAcceptsFifteenAlphabetCharactersInAnyCase() {
        assertThat(PakCode.fromData("0123456789abcde").value()).startsWith("0123456789ABCDE").hasSize(16);
        assertThat(PakCode.fromData("FGHJKMNPQRSTVWX").value()).startsWith("FGHJKMNPQRSTVWX");
        assertThat(PakCode.fromData("YZ0000000000000").value()).startsWith("YZ0000000000000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0123456789ABCD", "0123456789ABCDEF", "0123456789ABCDU", "0123456789ABCDO",
            "0123456789ABCDI", "0123456789ABCDL", "0123-56789ABCDE", "0123 56789ABCDE", "0123456789ABCD*",
            "0123-4567-89AB-CDE"})
    void fromDataRejectsAnythingElse(String data) {
        assertThatThrownBy(() -> PakCode.fromData(data))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PAK data must be 15 characters of " + ALPHABET);
    }

    @Test
    void randomCodesParseAndDiffer() {
        List<PakCode> codes = new ArrayList<>();
        for (int n = 0; n < 500; n++) {
            PakCode code = PakCode.random();
            assertThat(code.value()).hasSize(16);
            assertThat(code.value().chars()).allMatch(c -> ALPHABET.indexOf(c) >= 0);
            assertThat(PakCode.parse(code.formatted())).isEqualTo(code);
            assertThat(PakCode.parse(code.value())).isEqualTo(code);
            assertThat(PakCode.fromData(code.value().substring(0, 15))).isEqualTo(code);
            codes.add(code);
        }
        assertThat(codes).doesNotHaveDuplicates();
    }

    private static String randomData(Random random) {
        StringBuilder data = new StringBuilder(15);
        for (int i = 0; i < 15; i++) {
            data.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return data.toString();
    }
}
