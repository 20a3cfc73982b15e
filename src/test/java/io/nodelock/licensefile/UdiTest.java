package io.nodelock.licensefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodelock.licensefile.UdiSyntaxException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UdiTest {

    @Test
    void parsesFullUdi() {
        Udi udi = Udi.parse("PID:C9300-24T,SN:FOC2231X0AB,VID:V02");
        assertThat(udi.productId()).isEqualTo("C9300-24T");
        assertThat(udi.serialNumber()).isEqualTo("FOC2231X0AB");
        assertThat(udi.versionId()).isEqualTo("V02");
        assertThat(udi.binding()).isEqualTo("PID:C9300-24T,SN:FOC2231X0AB");
        assertThat(udi).hasToString("PID:C9300-24T,SN:FOC2231X0AB,VID:V02");
    }

    @Test
    void parsesUdiWithoutVid() {
        Udi udi = Udi.parse("PID:ISR4331/K9,SN:FDO21520ABC");
        assertThat(udi.versionId()).isNull();
        assertThat(udi).hasToString("PID:ISR4331/K9,SN:FDO21520ABC");
    }

    @Test
    void acceptsEveryPidCharacterAndMaximumLengths() {
        Udi udi = Udi.parse("PID:A-/+=.Z90123456789,SN:ABCDEFGHIJ0123456789");
        assertThat(udi.productId()).hasSize(18);
        assertThat(udi.serialNumber()).hasSize(20);
    }

    @Test
    void toStringRoundTrips() {
        for (String text : new String[] {"PID:X,SN:1", "PID:9K+=.,SN:Z,VID:V99"}) {
            assertThat(Udi.parse(text)).hasToString(text);
            assertThat(Udi.parse(Udi.parse(text).toString())).isEqualTo(Udi.parse(text));
        }
    }

    @Test
    void ofValidatesLikeParse() {
        assertThat(Udi.of("C9300-24T", "FOC1", null)).isEqualTo(Udi.parse("PID:C9300-24T,SN:FOC1"));
        assertReason(() -> Udi.of("c9300", "FOC1", null), Reason.PID_BAD_CHARACTER);
        assertReason(() -> Udi.of("C9300", "", null), Reason.SN_EMPTY);
        assertReason(() -> Udi.of(null, "FOC1", null), Reason.PID_EMPTY);
        assertReason(() -> Udi.of("C9300", "FOC1", "1"), Reason.VID_MALFORMED);
        assertReason(() -> new Udi("C9300", "FOC-1", null), Reason.SN_BAD_CHARACTER);
    }

    @Test
    void sameDeviceIgnoresVid() {
        Udi a = Udi.parse("PID:C9300-24T,SN:FOC1,VID:V01");
        assertThat(a.sameDevice(Udi.parse("PID:C9300-24T,SN:FOC1,VID:V02"))).isTrue();
        assertThat(a.sameDevice(Udi.parse("PID:C9300-24T,SN:FOC1"))).isTrue();
        assertThat(a.sameDevice(Udi.parse("PID:C9300-24T,SN:FOC2"))).isFalse();
        assertThat(a.sameDevice(Udi.parse("PID:C9300-48T,SN:FOC1"))).isFalse();
        assertThat(a.sameDevice(null)).isFalse();
        assertThat(a).isNotEqualTo(Udi.parse("PID:C9300-24T,SN:FOC1,VID:V02"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                   | EMPTY             | empty
            '   '                                | EMPTY             | blank
            'PID:C9300 ,SN:FOC1'                 | STRAY_WHITESPACE  | position 10
            ' PID:C9300,SN:FOC1'                 | STRAY_WHITESPACE  | did you mean 'PID:C9300,SN:FOC1'
            'PID:C9300,SN:FOC1\t'                | STRAY_WHITESPACE  | U+0009
            'pid:c9300-24t,sn:foc1'              | LOWER_CASE        | did you mean 'PID:C9300-24T,SN:FOC1'
            'PID:C9300,SN:foc1'                  | LOWER_CASE        | position 14
            'PID:C9300,,SN:FOC1'                 | MALFORMED_FIELD   | empty field at position 11
            'PID:C9300,SN:FOC1,'                 | MALFORMED_FIELD   | stray comma
            'PID:C9300,SNFOC1'                   | MALFORMED_FIELD   | has no ':'
            'PID:C9300,SER:FOC1'                 | UNKNOWN_FIELD     | unknown field name 'SER' at position 11
            'PID:C9300,PID:C9400,SN:FOC1'        | DUPLICATE_FIELD   | duplicate field PID
            'PID:C9300,SN:FOC1,SN:FOC2'          | DUPLICATE_FIELD   | duplicate field SN
            'SN:FOC1,PID:C9300'                  | MISORDERED_FIELD  | did you mean 'PID:C9300,SN:FOC1'
            'PID:C9300,VID:V01,SN:FOC1'          | MISORDERED_FIELD  | order PID, SN, VID
            'SN:FOC1'                            | MISSING_PID       | missing PID
            'VID:V01'                            | MISSING_PID       | missing PID
            'PID:C9300'                          | MISSING_SN        | missing SN
            'PID:C9300,VID:V01'                  | MISSING_SN        | missing SN
            'PID:,SN:FOC1'                       | PID_EMPTY         | PID is empty
            'PID:ABCDEFGHIJKLMNOPQRS,SN:FOC1'    | PID_TOO_LONG      | 19 characters, at most 18
            'PID:-C9300,SN:FOC1'                 | PID_BAD_START     | starts with '-'
            'PID:C93#00,SN:FOC1'                 | PID_BAD_CHARACTER | '#' at position 8
            'PID:C9300_X,SN:FOC1'                | PID_BAD_CHARACTER | '_'
            'PID:C9300,SN:'                      | SN_EMPTY          | SN is empty
            'PID:C9300,SN:ABCDEFGHIJ01234567890' | SN_TOO_LONG       | 21 characters, at most 20
            'PID:C9300,SN:FOC-1'                 | SN_BAD_CHARACTER  | '-' at position 17
            'PID:C9300,SN:FOC1,VID:V1'           | VID_MALFORMED     | V followed by two digits
            'PID:C9300,SN:FOC1,VID:01'           | VID_MALFORMED     | VID '01'
            'PID:C9300,SN:FOC1,VID:V001'         | VID_MALFORMED     | VID 'V001'
            """)
    void rejectsWithReasonAndMessage(String text, Reason reason, String messagePart) {
        assertThatThrownBy(() -> Udi.parse(text))
                .isInstanceOfSatisfying(UdiSyntaxException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).contains(messagePart);
                });
    }

    @Test
    void rejectsNullAndNonAscii() {
        assertReason(() -> Udi.parse(null), Reason.EMPTY);
        assertReason(() -> Udi.parse("PID:C93\u00c400,SN:FOC1"), Reason.PID_BAD_CHARACTER);
        assertReason(() -> Udi.parse("PID:C9300,SN:FOC\u00d61"), Reason.SN_BAD_CHARACTER);
        assertReason(() -> Udi.parse("PID:C9300,SN:FOC1\u00a0"), Reason.STRAY_WHITESPACE);
    }

    @Test
    void lowerCaseWithoutValidCorrectionGivesNoSuggestion() {
        assertThatThrownBy(() -> Udi.parse("pid:c9300,sn:foc-1"))
                .isInstanceOfSatisfying(UdiSyntaxException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.LOWER_CASE);
                    assertThat(e.getMessage()).doesNotContain("did you mean");
                });
    }

    @Test
    void noBreakSpaceAloneIsBlankLikeOtherWhiteSpace() {
        for (String blank : new String[] {"\u00a0", "\u00a0 \u00a0", "\t\u2007"}) {
            assertThatThrownBy(() -> Udi.parse(blank)).isInstanceOfSatisfying(UdiSyntaxException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.EMPTY);
                assertThat(e.getMessage()).contains("blank");
            });
        }
        assertReason(() -> Udi.parse("\u00a0PID:C9300,SN:FOC1"), Reason.STRAY_WHITESPACE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            'SN:FOC1,PID:C9300'         | did you mean 'PID:C9300,SN:FOC1'?
            'SN:FOC1,PID:-X'            | ''
            'SN:FOC-1,PID:C9300'        | ''
            'VID:V01,SN:FOC1,PID:C9300' | did you mean 'PID:C9300,SN:FOC1,VID:V01'?
            'VID:1,SN:FOC1,PID:C9300'   | ''
            """)
    void reorderHintOnlySuggestsAUdiThatParses(String text, String hint) {
        assertThatThrownBy(() -> Udi.parse(text)).isInstanceOfSatisfying(UdiSyntaxException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.MISORDERED_FIELD);
            if (hint == null || hint.isEmpty()) {
                assertThat(e.getMessage()).doesNotContain("did you mean");
            } else {
                assertThat(e.getMessage()).endsWith(hint);
            }
        });
    }

    /** Inputs with two problems each: the one reported is the one docs/udi.md says is checked first. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            'pid:c9300 ,sn:foc1'                     | STRAY_WHITESPACE
            'SER:foc1'                               | LOWER_CASE
            'PID:C9300_X,SER:FOC1'                   | PID_BAD_CHARACTER
            'PID:C9300_X'                            | PID_BAD_CHARACTER
            'SN:FOC-1,PID:C9300'                     | MISORDERED_FIELD
            'PID:C9300,PID:C9_,SN:FOC1'              | DUPLICATE_FIELD
            'PID:C9300,SN:FOC-1,SN:FOC1'             | SN_BAD_CHARACTER
            'PID:C9300_XXXXXXXXXXXXXXXXX,SN:FOC1'    | PID_TOO_LONG
            'PID:-C9300_X,SN:FOC1'                   | PID_BAD_START
            'PID:C9300,SN:FOC-1XXXXXXXXXXXXXXXXXXXX' | SN_TOO_LONG
            'PID:C9300,SN:FOC-1,VID:1'               | SN_BAD_CHARACTER
            'PID:C9300,VID:1'                        | MISSING_SN
            'PID:C9300,SN:FOC1,VID:1,X'              | VID_MALFORMED
            """)
    void checksRunInTheDocumentedOrder(String text, Reason first) {
        assertReason(() -> Udi.parse(text), first);
    }

    @Test
    void ofChecksThePartsInOrderWithoutTheTextLevelChecks() {
        // No whole-text pass for whitespace or lower case: each part is checked on its own, PID first.
        assertThatThrownBy(() -> Udi.of("c9300", "foc 1", null)).isInstanceOfSatisfying(UdiSyntaxException.class,
                e -> {
                    assertThat(e.reason()).isEqualTo(Reason.PID_BAD_CHARACTER);
                    assertThat(e.getMessage()).contains("at position 1", "(lower case; use 'C')");
                });
        assertReason(() -> Udi.of("C9300", "FOC 1", "V1"), Reason.SN_BAD_CHARACTER);
        assertReason(() -> Udi.of("C9300", "FOC1", "v01"), Reason.VID_MALFORMED);
    }

    /** docs/udi.md's error table is what the parser says, word for word. */
    @Test
    void documentedErrorTableMatchesTheParser() throws java.io.IOException {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs/udi.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^\\| `([^`]*)`(?: \\(empty\\))? \\| ([A-Z_]+) \\| (.*) \\|$").matcher(doc);
        int rows = 0;
        java.util.Set<String> documented = new java.util.HashSet<>();
        while (m.find()) {
            documented.add(m.group(2));
            String input = m.group(1);
            String message = m.group(3);
            assertThatThrownBy(() -> Udi.parse(input)).as(input)
                    .isInstanceOfSatisfying(UdiSyntaxException.class, e -> {
                        assertThat(e.reason().name()).as(input).isEqualTo(m.group(2));
                        assertThat(e.getMessage()).as(input).isEqualTo(message);
                    });
            rows++;
        }
        assertThat(rows).isGreaterThanOrEqualTo(Reason.values().length);
        assertThat(documented).containsAll(java.util.Arrays.stream(Reason.values()).map(Enum::name).toList());
    }

    private static void assertReason(Runnable r, Reason reason) {
        assertThatThrownBy(r::run)
                .isInstanceOfSatisfying(UdiSyntaxException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
