package io.nodelock.licensefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodelock.licensefile.LicenseFormatException.Reason;
import org.junit.jupiter.api.Test;

class LicenseLineParserTest {

    private static final String GOOD = Fixtures.signedPermanent().toText();
    private static final String SIG = Fixtures.signedPermanent().signatureBase64Url();

    @Test
    void goodLineParses() {
        assertThat(LicenseLine.parse(GOOD).toText()).isEqualTo(GOOD);
    }

    @Test
    void rejectsEmptyAndWhitespace() {
        assertRejected(null, Reason.EMPTY, "empty");
        assertRejected("", Reason.EMPTY, "empty");
        assertRejected(" " + GOOD, Reason.BAD_WHITESPACE, "leading space");
        assertRejected(GOOD + " ", Reason.BAD_WHITESPACE, "trailing space");
        assertRejected(GOOD.replace(" type=", "  type="), Reason.BAD_WHITESPACE, "double space");
        assertRejected(GOOD.replace(" type=", "\ttype="), Reason.BAD_WHITESPACE, "U+0009");
        assertRejected(GOOD + "\r", Reason.BAD_WHITESPACE, "U+000D");
        assertRejected(GOOD.replace("ipbase", "ipb\u00e4se"), Reason.NON_ASCII, "U+00E4");
        assertRejected(GOOD.replace("ipbase", "ipb\u0001se"), Reason.NON_ASCII, "not printable ASCII");
    }

    @Test
    void rejectsPrefix() {
        assertRejected(GOOD.replace("NLIC1 ", "NLIC3 "), Reason.UNSUPPORTED_VERSION, "NLIC3");
        // A format 1 line relabelled 2 lacks its eula field; a format 2 field in a format 1 line is unknown there.
        assertRejected(GOOD.replace("NLIC1 ", "NLIC2 "), Reason.MISSING_FIELD, "'eula'");
        assertRejected(GOOD.replace(" keyid=", " eula=2026-11 keyid="), Reason.UNKNOWN_FIELD, "'eula'");
        assertRejected(GOOD.replace("NLIC1 ", "LIC1 "), Reason.BAD_PREFIX, "must start with 'NLIC1 '");
        assertRejected("NLIC1", Reason.MISSING_FIELD, "'id'");
    }

    @Test
    void formatTwoCarriesTheEulaVersionInOneSpelling() {
        LicenseLine line = Fixtures.SIGNER.sign(Fixtures.evaluation().eulaVersion("2026-11").build());
        assertThat(line.formatVersion()).isEqualTo(LicenseLine.FORMAT_VERSION_EULA);
        String text = line.toText();
        assertThat(text).startsWith("NLIC2 ").contains(" issued=" + line.issuedAt() + " eula=2026-11 keyid=");
        assertThat(LicenseLine.parse(text)).isEqualTo(line);
        assertThat(LicenseLine.parse(text).eulaVersion()).isEqualTo("2026-11");
        assertRejected(text.replace(" eula=2026-11 ", " eula=- "), Reason.BAD_VALUE, "eula");
        assertRejected(text.replace(" eula=2026-11 ", " eula=2026/11 "), Reason.BAD_VALUE, "eula");
        assertRejected(text.replace(" eula=2026-11 ", " "), Reason.MISSING_FIELD, "'eula'");
        assertRejected(text.replace(" eula=2026-11 keyid=" + line.keyId(), " keyid=" + line.keyId() + " eula=2026-11"),
                Reason.MISORDERED_FIELD, "out of order");
        assertThatThrownBy(() -> new LicenseLine(1, "a", "b", Fixtures.DEVICE, LicenseType.PERMANENT, 0, 0, null,
                null, java.time.Instant.EPOCH, null, null, "2026-11")).hasMessageContaining("formatVersion must be 2");
        assertThatThrownBy(() -> Fixtures.evaluation().eulaVersion("-").build()).hasMessageContaining("eulaVersion");
        // The version is signed: moving the license to another EULA breaks its signature.
        assertThat(Fixtures.VERIFIER.verify(line).ok()).isTrue();
        LicenseLine moved = LicenseLine.parse(text.replace(" eula=2026-11 ", " eula=2027-01 "));
        assertThat(Fixtures.VERIFIER.verify(moved).status()).isEqualTo(Verification.Status.BAD_SIGNATURE);
    }

    @Test
    void rejectsStructuralErrors() {
        assertRejected(GOOD.replace(" feature=ipbase", " feature"), Reason.MALFORMED_FIELD, "not name=value");
        assertRejected(GOOD.replace(" feature=ipbase", " =ipbase"), Reason.MALFORMED_FIELD, "not name=value");
        assertRejected(GOOD.replace(" feature=", " feat="), Reason.UNKNOWN_FIELD, "unknown field 'feat'");
        assertRejected(GOOD.replace(" type=permanent", " type=permanent type=permanent"), Reason.DUPLICATE_FIELD,
                "duplicate field 'type'");
        assertRejected(GOOD.replace(" feature=ipbase udi=" + Fixtures.DEVICE, " udi=" + Fixtures.DEVICE
                + " feature=ipbase"), Reason.MISORDERED_FIELD, "'feature' must come first");
        assertRejected(GOOD.replace(" count=0", ""), Reason.MISSING_FIELD, "missing field 'count'");
        assertRejected(GOOD.substring(0, GOOD.indexOf(" sig=")), Reason.MISSING_FIELD, "sig=-");
        assertRejected(GOOD + " x=1", Reason.TRAILING_GARBAGE, "x=1");
        assertRejected(GOOD + " junk", Reason.TRAILING_GARBAGE, "junk");
        assertRejected(GOOD + " sig=" + SIG, Reason.DUPLICATE_FIELD, "'sig'");
    }

    @Test
    void rejectsBadValues() {
        assertRejected(GOOD.replace("id=NL-0001", "id=NL_0001"), Reason.BAD_VALUE, "licenseId");
        assertRejected(GOOD.replace("feature=ipbase", "feature=IPBASE"), Reason.BAD_VALUE, "feature");
        assertRejected(GOOD.replace("SN:FOC2231X0AB", "SN:foc2231x0ab"), Reason.BAD_VALUE, "udi: lower case");
        assertRejected(GOOD.replace("type=permanent", "type=PERMANENT"), Reason.BAD_VALUE, "type:");
        assertRejected(GOOD.replace("count=0", "count=00"), Reason.BAD_VALUE, "leading zeros");
        assertRejected(GOOD.replace("count=0", "count=+1"), Reason.BAD_VALUE, "count");
        assertRejected(GOOD.replace("count=0", "count=-1"), Reason.BAD_VALUE, "count");
        assertRejected(GOOD.replace("count=0", "count=2147483648"), Reason.BAD_VALUE, "exceeds");
        assertRejected(GOOD.replace("usagedays=0", "usagedays=x"), Reason.BAD_VALUE, "usagedays");
        assertRejected(GOOD.replace("notbefore=-", "notbefore=2026-01-01"), Reason.BAD_VALUE, "notbefore");
        assertRejected(GOOD.replace("notbefore=-", "notbefore=2026-02-30T00:00:00Z"), Reason.BAD_VALUE,
                "not a valid date");
        assertRejected(GOOD.replace("notbefore=-", "notbefore=2026-01-01T00:00:60Z"), Reason.BAD_VALUE,
                "not a valid date");
        assertRejected(GOOD.replace("issued=2026-01-15T09:30:00Z", "issued=2026-01-15T09:30:00.000Z"),
                Reason.BAD_VALUE, "issued");
        assertRejected(GOOD.replace("issued=2026-01-15T09:30:00Z", "issued=-"), Reason.BAD_VALUE, "issued");
        assertRejected(GOOD.replace("issued=2026-01-15T09:30:00Z", "issued=2026-01-15T09:30:00+00:00"),
                Reason.BAD_VALUE, "issued");
        assertRejected(GOOD.replace("type=permanent usagedays", "type=permanent usagedays")
                .replace("usagedays=0", "usagedays=3"), Reason.BAD_VALUE, "usageDays 0");
        assertRejected(GOOD.replace("keyid=" + Fixtures.TEST_KEY.keyId(), "keyid=-"), Reason.BAD_VALUE, "keyId");
    }

    @Test
    void rejectsBadSignatures() {
        assertRejected(GOOD.replace(SIG, SIG + "=="), Reason.BAD_SIGNATURE_ENCODING, "padding");
        assertRejected(GOOD.replace(SIG, SIG.substring(0, 85) + "+"), Reason.BAD_SIGNATURE_ENCODING, "base64url");
        assertRejected(GOOD.replace(SIG, SIG.substring(0, 85) + "/"), Reason.BAD_SIGNATURE_ENCODING, "base64url");
        assertRejected(GOOD.replace(SIG, SIG.substring(0, 85)), Reason.BAD_SIGNATURE_ENCODING, "length");
        assertRejected(GOOD.replace(SIG, SIG.substring(0, 84)), Reason.BAD_SIGNATURE_LENGTH, "63 bytes");
        assertRejected(GOOD.replace(SIG, SIG + "A"), Reason.BAD_SIGNATURE_LENGTH, "65 bytes");
        assertRejected(GOOD.replace(SIG, ""), Reason.BAD_SIGNATURE_LENGTH, "0 bytes");
        // The last of 86 characters carries 4 unused bits; flipping only those must not yield a second spelling.
        char last = SIG.charAt(85);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char sameBits = alphabet.charAt(alphabet.indexOf(last) | 1);
        assertThat(sameBits).isNotEqualTo(last);
        assertRejected(GOOD.replace(SIG, SIG.substring(0, 85) + sameBits), Reason.BAD_SIGNATURE_ENCODING,
                "non-canonical");
    }

    @Test
    void exceptionIsIllegalArgument() {
        assertThatThrownBy(() -> LicenseLine.parse("x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertRejected(String text, Reason reason, String messagePart) {
        assertThatThrownBy(() -> LicenseLine.parse(text))
                .isInstanceOfSatisfying(LicenseFormatException.class, e -> {
                    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
                    assertThat(e.getMessage()).contains(messagePart);
                });
    }
}
