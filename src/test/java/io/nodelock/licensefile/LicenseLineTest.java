package io.nodelock.licensefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LicenseLineTest {

    @Test
    void unsignedLineHasCanonicalText() {
        LicenseLine line = Fixtures.permanent().build();
        assertThat(line.toText()).isEqualTo("NLIC1 id=NL-0001 feature=ipbase udi=PID:C9300-24T,SN:FOC2231X0AB,VID:V02"
                + " type=permanent count=0 usagedays=0 notbefore=- notafter=- issued=2026-01-15T09:30:00Z keyid=- sig=-");
        assertThat(line.isSigned()).isFalse();
        assertThat(LicenseLine.parse(line.toText())).isEqualTo(line);
    }

    @Test
    void signedLineRoundTrips() {
        LicenseLine signed = Fixtures.SIGNER.sign(Fixtures.subscription().count(25).build());
        String text = signed.toText();
        assertThat(text).startsWith("NLIC1 id=NL-0002 ").contains(" count=25 ")
                .contains(" notbefore=2026-02-01T00:00:00Z notafter=2027-02-01T00:00:00Z ")
                .contains(" keyid=" + Fixtures.TEST_KEY.keyId() + " sig=");
        LicenseLine parsed = LicenseLine.parse(text);
        assertThat(parsed).isEqualTo(signed);
        assertThat(parsed.toText()).isEqualTo(text);
        assertThat(parsed.hashCode()).isEqualTo(signed.hashCode());
    }

    @Test
    void unsignedTextIsLineWithoutSig() {
        LicenseLine signed = Fixtures.signedPermanent();
        assertThat(signed.toText()).isEqualTo(signed.unsignedText() + " sig=" + signed.signatureBase64Url());
        assertThat(signed.signingInput()).isEqualTo("nodelock/license-line/v1\n" + signed.unsignedText());
        assertThatThrownBy(() -> Fixtures.permanent().build().signingInput())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void equalityComparesSignatureContent() {
        byte[] sig = new byte[64];
        sig[5] = 7;
        LicenseLine a = Fixtures.permanent().build().withSignature("k1", sig);
        LicenseLine b = Fixtures.permanent().build().withSignature("k1", sig.clone());
        byte[] other = sig.clone();
        other[63] = 1;
        LicenseLine c = Fixtures.permanent().build().withSignature("k1", other);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(a).isNotEqualTo(Fixtures.permanent().build());
    }

    @Test
    void signatureIsDefensivelyCopied() {
        byte[] sig = new byte[64];
        LicenseLine line = Fixtures.permanent().build().withSignature("k1", sig);
        sig[0] = 9;
        line.signature()[1] = 9;
        assertThat(line.signature()).containsOnly(0);
    }

    @Test
    void validatesFields() {
        assertInvalid(Fixtures.permanent().licenseId(""), "licenseId");
        assertInvalid(Fixtures.permanent().licenseId("a".repeat(65)), "licenseId");
        assertInvalid(Fixtures.permanent().licenseId("NL_1"), "licenseId");
        assertInvalid(Fixtures.permanent().feature("IPBase"), "feature");
        assertInvalid(Fixtures.permanent().feature("-x"), "feature");
        assertInvalid(Fixtures.permanent().feature("a".repeat(65)), "feature");
        assertInvalid(Fixtures.permanent().udi(null), "udi");
        assertInvalid(Fixtures.permanent().type(null), "type");
        assertInvalid(Fixtures.permanent().count(-1), "count");
        assertInvalid(Fixtures.permanent().usageDays(5), "usageDays 0");
        assertInvalid(Fixtures.permanent().type(LicenseType.EVALUATION), "usageDays > 0");
        assertInvalid(Fixtures.permanent().type(LicenseType.EXTENSION).usageDays(-1), "usageDays");
        assertInvalid(Fixtures.permanent().type(LicenseType.SUBSCRIPTION), "notAfter");
        assertInvalid(Fixtures.permanent().notAfter(Instant.parse("2030-01-01T00:00:00Z")), "permanent");
        assertInvalid(Fixtures.subscription().notBefore(Instant.parse("2027-02-01T00:00:00Z")), "before notAfter");
        assertInvalid(Fixtures.permanent().issuedAt(null), "issuedAt");
        assertInvalid(Fixtures.permanent().issuedAt(Instant.parse("2026-01-15T09:30:00.5Z")), "whole-second");
        assertInvalid(Fixtures.permanent().issuedAt(Instant.parse("1969-12-31T23:59:59Z")), "between");
        assertInvalid(Fixtures.permanent().keyId("-bad"), "keyId");
        assertThatThrownBy(() -> Fixtures.permanent().build().withSignature("k1", new byte[63]))
                .hasMessageContaining("64 bytes");
        assertThatThrownBy(() -> Fixtures.permanent().build().withSignature(null, new byte[64]))
                .hasMessageContaining("keyId");
        assertThatThrownBy(() -> new LicenseLine(2, "a", "b", Fixtures.DEVICE, LicenseType.PERMANENT, 0, 0, null,
                null, Instant.EPOCH, null, null)).hasMessageContaining("formatVersion");
    }

    @Test
    void licenseTypeWireNames() {
        assertThat(LicenseType.PERMANENT.wireName()).isEqualTo("permanent");
        for (LicenseType t : LicenseType.values()) {
            assertThat(LicenseType.fromWire(t.wireName())).isEqualTo(t);
            assertThat(t.wireName()).isEqualTo(t.name().toLowerCase(java.util.Locale.ROOT));
        }
        assertThatThrownBy(() -> LicenseType.fromWire("Permanent"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("permanent, evaluation, extension, subscription");
    }

    private static void assertInvalid(LicenseLine.Builder builder, String messagePart) {
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(messagePart);
    }
}
