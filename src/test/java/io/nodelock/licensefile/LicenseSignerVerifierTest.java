package io.nodelock.licensefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodelock.licensefile.Verification.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LicenseSignerVerifierTest {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @Test
    void signSetsKeyIdAndVerifies() {
        LicenseLine signed = Fixtures.signedPermanent();
        assertThat(signed.keyId()).isEqualTo(Fixtures.TEST_KEY.keyId());
        assertThat(signed.signature()).hasSize(64);
        Verification v = Fixtures.VERIFIER.verify(signed);
        assertThat(v.ok()).isTrue();
        assertThat(v.status()).isEqualTo(Status.OK);
        assertThat(Fixtures.VERIFIER.verifyFor(signed, Fixtures.DEVICE, NOW).ok()).isTrue();
    }

    @Test
    void signingIsDeterministicAndReplacesExistingKeyId() {
        LicenseLine unsigned = Fixtures.permanent().keyId("someone-else").build();
        LicenseLine a = Fixtures.SIGNER.sign(unsigned);
        assertThat(a.keyId()).isEqualTo(Fixtures.TEST_KEY.keyId());
        assertThat(Fixtures.SIGNER.sign(a)).isEqualTo(a);
        assertThat(Fixtures.SIGNER.signingInput(unsigned)).isEqualTo(a.signingInput())
                .startsWith("nodelock/license-line/v1\nNLIC1 id=NL-0001 ")
                .endsWith(" keyid=" + Fixtures.TEST_KEY.keyId());
    }

    @Test
    void unsignedLineIsReported() {
        Verification v = Fixtures.VERIFIER.verifyFor(Fixtures.permanent().build(), Fixtures.DEVICE, NOW);
        assertThat(v.status()).isEqualTo(Status.UNSIGNED);
        assertThat(v.ok()).isFalse();
        assertThat(v.message()).contains("NL-0001").contains("unsigned");
    }

    @Test
    void unknownKeyIdIsReported() {
        LicenseLine signed = new LicenseSigner(SigningKey.generate()).sign(Fixtures.permanent().build());
        Verification v = Fixtures.VERIFIER.verify(signed);
        assertThat(v.status()).isEqualTo(Status.UNKNOWN_KEY_ID);
        assertThat(v.message()).contains(signed.keyId()).contains(Fixtures.TEST_KEY.keyId());
    }

    @Test
    void alteredContentGivesBadSignature() {
        LicenseLine signed = Fixtures.signedPermanent();
        LicenseLine raised = new LicenseLine(1, signed.licenseId(), signed.feature(), signed.udi(), signed.type(), 100,
                0, null, null, signed.issuedAt(), signed.keyId(), signed.signature());
        assertThat(Fixtures.VERIFIER.verify(raised).status()).isEqualTo(Status.BAD_SIGNATURE);
        assertThat(Fixtures.VERIFIER.verify(raised).message()).contains("bad signature");
        byte[] sig = signed.signature();
        sig[10] ^= 0x01;
        assertThat(Fixtures.VERIFIER.verify(signed.withSignature(signed.keyId(), sig)).status())
                .isEqualTo(Status.BAD_SIGNATURE);
    }

    @Test
    void signatureFromAnotherKeyUnderTrustedIdIsBad() {
        LicenseLine other = new LicenseSigner(SigningKey.generate()).sign(Fixtures.permanent().build());
        LicenseLine forged = other.withSignature(Fixtures.TEST_KEY.keyId(), other.signature());
        assertThat(Fixtures.VERIFIER.verify(forged).status()).isEqualTo(Status.BAD_SIGNATURE);
    }

    @Test
    void udiMismatchComparesBindingOnly() {
        LicenseLine signed = Fixtures.signedPermanent();
        Udi otherSerial = Udi.parse("PID:C9300-24T,SN:FOC9999X0AB");
        Verification v = Fixtures.VERIFIER.verifyFor(signed, otherSerial, NOW);
        assertThat(v.status()).isEqualTo(Status.UDI_MISMATCH);
        assertThat(v.message()).isEqualTo("UDI mismatch: line NL-0001 is for PID:C9300-24T,SN:FOC2231X0AB,"
                + " device is PID:C9300-24T,SN:FOC9999X0AB");
        Udi otherVid = Udi.parse("PID:C9300-24T,SN:FOC2231X0AB,VID:V07");
        assertThat(Fixtures.VERIFIER.verifyFor(signed, otherVid, NOW).ok()).isTrue();
    }

    @Test
    void validityWindowBoundaries() {
        LicenseLine sub = Fixtures.SIGNER.sign(Fixtures.subscription().build());
        Instant nbf = sub.notBefore();
        Instant naf = sub.notAfter();
        assertThat(check(sub, nbf.minusSeconds(1)).status()).isEqualTo(Status.NOT_YET_VALID);
        assertThat(check(sub, nbf.minusSeconds(1)).message()).contains("not valid before 2026-02-01T00:00:00Z");
        assertThat(check(sub, nbf).status()).isEqualTo(Status.OK);
        assertThat(check(sub, naf.minusSeconds(1)).status()).isEqualTo(Status.OK);
        assertThat(check(sub, naf).status()).isEqualTo(Status.EXPIRED);
        assertThat(check(sub, naf).message()).contains("expired at 2027-02-01T00:00:00Z");
    }

    @Test
    void signatureIsCheckedBeforeDeviceAndTime() {
        LicenseLine unsignedExpired = Fixtures.subscription().build();
        assertThat(Fixtures.VERIFIER.verifyFor(unsignedExpired, Udi.parse("PID:X,SN:Y"), Instant.MAX).status())
                .isEqualTo(Status.UNSIGNED);
    }

    @Test
    void verifierFromMapChecksKeys() {
        PublicKeyInfo pub = Fixtures.TEST_KEY.publicKey();
        assertThat(new LicenseVerifier(Map.of(pub.keyId(), pub)).verify(Fixtures.signedPermanent()).ok()).isTrue();
        PublicKeyInfo other = SigningKey.generate().publicKey();
        assertThatThrownBy(() -> new LicenseVerifier(Map.of(pub.keyId(), other)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new LicenseVerifier(List.of()).verify(Fixtures.signedPermanent()).status())
                .isEqualTo(Status.UNKNOWN_KEY_ID);
    }

    @Test
    void thousandLinesSignAndVerifyAcrossThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<LicenseLine>> futures = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                LicenseLine line = Fixtures.permanent().licenseId("NL-" + i).count(i).build();
                futures.add(pool.submit(() -> Fixtures.SIGNER.sign(line)));
            }
            for (int i = 0; i < 1000; i++) {
                LicenseLine signed = futures.get(i).get();
                assertThat(signed.licenseId()).isEqualTo("NL-" + i);
                LicenseLine parsed = LicenseLine.parse(signed.toText());
                assertThat(Fixtures.VERIFIER.verifyFor(parsed, Fixtures.DEVICE, NOW).ok())
                        .as(signed.toText()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Verification check(LicenseLine line, Instant now) {
        return Fixtures.VERIFIER.verifyFor(line, Fixtures.DEVICE, now);
    }
}
