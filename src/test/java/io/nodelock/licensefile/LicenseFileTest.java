package io.nodelock.licensefile;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodelock.licensefile.LicenseFormatException.Reason;
import io.nodelock.licensefile.Verification.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LicenseFileTest {

    private static final LicenseLine A = Fixtures.signedPermanent();
    private static final LicenseLine B = Fixtures.SIGNER.sign(Fixtures.subscription().build());
    private static final LicenseLine C = Fixtures.SIGNER.sign(Fixtures.permanent().licenseId("NL-0003").count(25)
            .build());

    @Test
    void formatWritesHeaderAndTerminatedLines() {
        String text = LicenseFile.format(List.of(A, B));
        assertThat(text).isEqualTo("# Nodelock license file v1\n" + A.toText() + "\n" + B.toText() + "\n");
        LicenseFile.Parsed parsed = LicenseFile.parse(text);
        assertThat(parsed.lines()).containsExactly(A, B);
        assertThat(parsed.entries()).extracting(LicenseFile.Entry::lineNumber).containsExactly(2, 3);
        assertThat(parsed.hasRejections()).isFalse();
    }

    @Test
    void corruptLineDoesNotHideGoodOnes() {
        String text = String.join("\n",
                "# Nodelock license file v1",
                "",
                A.toText(),
                "   # indented comment",
                B.toText().replace("dna-advantage", "dna-essentials"),
                "NLIC1 garbage",
                "\t",
                C.toText().replace(" sig=", "  sig="),
                C.toText(),
                "");
        LicenseFile.Parsed parsed = LicenseFile.parse(text);
        // The altered line still parses; only the verifier can tell that its signature no longer matches.
        LicenseLine altered = LicenseLine.parse(B.toText().replace("dna-advantage", "dna-essentials"));
        assertThat(parsed.lines()).containsExactly(A, altered, C);
        assertThat(parsed.entries()).extracting(LicenseFile.Entry::lineNumber).containsExactly(3, 5, 9);
        assertThat(parsed.rejections()).hasSize(2);
        LicenseFile.Rejection first = parsed.rejections().get(0);
        assertThat(first.lineNumber()).isEqualTo(6);
        assertThat(first.reason()).isEqualTo(Reason.MALFORMED_FIELD);
        assertThat(first.text()).isEqualTo("NLIC1 garbage");
        assertThat(first.toString()).startsWith("line 6: MALFORMED_FIELD: ");
        LicenseFile.Rejection second = parsed.rejections().get(1);
        assertThat(second.lineNumber()).isEqualTo(8);
        assertThat(second.reason()).isEqualTo(Reason.BAD_WHITESPACE);
        assertThat(second.message()).contains("double space");
    }

    @Test
    void aByteThatIsNotUtf8SpoilsOnlyItsOwnRow() {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        file.writeBytes("# Nodelock license file v1\r\n# issued to M".getBytes(StandardCharsets.US_ASCII));
        file.write(0xFC); // ISO-8859-1 u-umlaut in a comment: the comment is ignored like any other
        file.writeBytes(("ller GmbH\n" + A.toText() + "\n" + B.toText().replace("count=0", "count=0x"))
                .getBytes(StandardCharsets.US_ASCII));
        file.write(0xFF);
        file.writeBytes(("\n" + C.toText() + "\r\n").getBytes(StandardCharsets.US_ASCII));

        LicenseFile.Parsed parsed = LicenseFile.parseBytes(file.toByteArray());
        assertThat(parsed.lines()).containsExactly(A, C);
        assertThat(parsed.entries()).extracting(LicenseFile.Entry::lineNumber).containsExactly(3, 5);
        assertThat(parsed.rejections()).singleElement().satisfies(r -> {
            assertThat(r.lineNumber()).isEqualTo(4);
            assertThat(r.reason()).isEqualTo(Reason.NON_ASCII);
            assertThat(r.message()).contains("0xFF", "not UTF-8");
        });
    }

    @Test
    void bytesAndTextParseAValidFileAlike() {
        String text = "\uFEFF# Nodelock license file v1\r\n" + A.toText() + "\r\n\n" + B.toText() + "\nNLIC1 x\n";
        LicenseFile.Parsed fromText = LicenseFile.parse(text);
        LicenseFile.Parsed fromBytes = LicenseFile.parseBytes(text.getBytes(StandardCharsets.UTF_8));
        assertThat(fromBytes.entries()).isEqualTo(fromText.entries()).hasSize(2);
        assertThat(fromBytes.rejections()).extracting(LicenseFile.Rejection::lineNumber).containsExactly(5);
        assertThat(fromText.rejections()).extracting(LicenseFile.Rejection::lineNumber).containsExactly(5);
    }

    @Test
    void aRowOfOnlyNoBreakSpacesIsBlankAndAnIndentedCommentToo() {
        // Pasted from a web page: U+00A0 is white space, so the row is blank, not a malformed license line.
        String text = "\u00a0\u00a0\n" + A.toText() + "\n\u00a0# comment\n\u2007\u202f\t\n";
        for (LicenseFile.Parsed parsed : List.of(LicenseFile.parse(text),
                LicenseFile.parseBytes(text.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(parsed.lines()).containsExactly(A);
            assertThat(parsed.hasRejections()).isFalse();
        }
        // Inside a license line it is still rejected.
        assertThat(LicenseFile.parse(A.toText() + "\u00a0").rejections()).singleElement()
                .extracting(LicenseFile.Rejection::reason).isEqualTo(Reason.BAD_WHITESPACE);
    }

    @Test
    void verifyFileReportsEachLineWithItsNumber() {
        String text = String.join("\n",
                "# Nodelock license file v1",
                A.toText(),
                B.toText().replace("dna-advantage", "dna-essentials"),
                "NLIC1 garbage",
                C.toText(),
                Fixtures.SIGNER.sign(Fixtures.permanent().licenseId("NL-0004")
                        .udi(Udi.parse("PID:C9300-24T,SN:OTHER1")).build()).toText());
        FileVerification result = Fixtures.VERIFIER.verifyFile(text, Fixtures.DEVICE,
                Instant.parse("2026-06-01T00:00:00Z"));
        assertThat(result.results()).extracting(FileVerification.LineResult::lineNumber)
                .containsExactly(2, 3, 4, 5, 6);
        assertThat(result.results()).extracting(r -> r.verification().status())
                .containsExactly(Status.OK, Status.BAD_SIGNATURE, Status.MALFORMED, Status.OK, Status.UDI_MISMATCH);
        assertThat(result.accepted()).containsExactly(A, C);
        assertThat(result.rejected()).hasSize(3);
        assertThat(result.allOk()).isFalse();
        assertThat(result.results().get(2).line()).isNull();
        assertThat(result.results().get(2).toString()).startsWith("line 4: MALFORMED: MALFORMED_FIELD");

        FileVerification sigOnly = Fixtures.VERIFIER.verifyFile(LicenseFile.format(List.of(A, B, C)));
        assertThat(sigOnly.allOk()).isTrue();
        assertThat(sigOnly.accepted()).containsExactly(A, B, C);
    }

    @Test
    void acceptsCrlfAndByteOrderMark() {
        String text = "\uFEFF# header\r\n" + A.toText() + "\r\n\r\n" + B.toText() + "\r\n";
        LicenseFile.Parsed parsed = LicenseFile.parse(text);
        assertThat(parsed.lines()).containsExactly(A, B);
        assertThat(parsed.entries()).extracting(LicenseFile.Entry::lineNumber).containsExactly(2, 4);
    }

    @Test
    void emptyFileHasNoLines() {
        assertThat(LicenseFile.parse("").lines()).isEmpty();
        assertThat(LicenseFile.parse(null).lines()).isEmpty();
        assertThat(LicenseFile.parse(LicenseFile.format(List.of())).lines()).isEmpty();
        assertThat(LicenseFile.format(List.of())).isEqualTo("# Nodelock license file v1\n");
    }

    @Test
    void everyParseReasonIsDocumented() throws java.io.IOException {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs", "license-file-format.md"));
        String section = doc.substring(doc.indexOf("## Parse reasons"), doc.indexOf("## Signing"));
        for (Reason r : Reason.values()) {
            assertThat(section).as(r.name()).contains("| `" + r.name() + "` |");
        }
    }
}
