package io.nodelock.licensefile;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodelock.licensefile.LicenseFormatException.Reason;
import io.nodelock.licensefile.Verification.Status;
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
}
