package io.nodelock.licensefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodelock.licensefile.CertificateVerification.Status;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issuing and verifying device identity certificates: the strict line, every verifier outcome, the credential. */
class DeviceCertificateTest {

    static final ManufacturingAuthority CA = new ManufacturingAuthority(SigningKey.fromSeed(HexFormat.of()
            .parseHex("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7")));
    static final SigningKey DEVICE_KEY = SigningKey.fromSeed(HexFormat.of()
            .parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
    static final Udi UDI = Udi.parse("PID:C1111-4P,SN:FGL2231AB1C,VID:V01");
    static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    static final Instant UNTIL = Instant.parse("2036-03-01T00:00:00Z");
    static final Instant NOW = Instant.parse("2027-01-01T00:00:00Z");
    static final DeviceCertificateVerifier VERIFIER = new DeviceCertificateVerifier(List.of(CA.publicKey()));

    static DeviceCertificate cert() {
        return CA.issue("DI-0001", UDI, DEVICE_KEY.publicKey(), FROM, UNTIL);
    }

    @Test
    void issuedCertificateVerifiesAndYieldsTheCertifiedKey() {
        DeviceCertificate c = cert();
        assertThat(c.issuerKeyId()).isEqualTo(CA.keyId());
        assertThat(c.toText()).startsWith("NLDI1 serial=DI-0001 udi=PID:C1111-4P,SN:FGL2231AB1C,VID:V01 devicekey=")
                .contains(" devicekeyid=" + DEVICE_KEY.keyId() + " notbefore=2026-03-01T00:00:00Z"
                        + " notafter=2036-03-01T00:00:00Z issuer=" + CA.keyId() + " sig=");
        assertThat(c.signingInput()).isEqualTo("nodelock/device-certificate/v1\n"
                + c.toText().substring(0, c.toText().indexOf(" sig=")));
        assertThat(DeviceCertificate.parse(c.toText())).isEqualTo(c);
        assertThat(DeviceCertificate.parseFile(c.toFile())).isEqualTo(c);

        CertificateVerification v = VERIFIER.verify(c, UDI, NOW);
        assertThat(v.status()).as(v.message()).isEqualTo(Status.OK);
        assertThat(v.certifiedKey()).isEqualTo(DEVICE_KEY.publicKey());
        assertThat(VERIFIER.verify(c.toText(), UDI, NOW).ok()).isTrue();
        assertThat(VERIFIER.verifyFor(c, UDI, DEVICE_KEY.publicKey(), NOW).ok()).isTrue();
        // The binding is PID+SN: a new hardware revision (VID) is the same device.
        assertThat(VERIFIER.verify(c, Udi.parse("PID:C1111-4P,SN:FGL2231AB1C,VID:V02"), NOW).ok()).isTrue();
        assertThat(VERIFIER.verify(c, Udi.parse("PID:C1111-4P,SN:FGL2231AB1C"), NOW).ok()).isTrue();
    }

    @Test
    void everyReasonToRefuseIsNamed() {
        DeviceCertificate c = cert();
        assertThat(VERIFIER.verify(c.toText().replace("NLDI1", "NLDI2"), UDI, NOW).status())
                .isEqualTo(Status.MALFORMED);
        assertThat(VERIFIER.verify("", UDI, NOW).message()).contains("malformed device certificate");

        SigningKey other = SigningKey.fromSeed(new byte[32]);
        DeviceCertificate foreign = new ManufacturingAuthority(other).issue("DI-0001", UDI, DEVICE_KEY.publicKey(),
                FROM, UNTIL);
        CertificateVerification unknown = VERIFIER.verify(foreign, UDI, NOW);
        assertThat(unknown.status()).isEqualTo(Status.UNKNOWN_ISSUER);
        assertThat(unknown.message()).contains(other.keyId(), "not a trusted manufacturing authority", CA.keyId());

        // A field changed after signing (here the serial, the text otherwise intact) breaks the signature.
        DeviceCertificate altered = DeviceCertificate.parse(c.toText().replace("serial=DI-0001", "serial=DI-0002"));
        assertThat(VERIFIER.verify(altered, UDI, NOW).status()).isEqualTo(Status.BAD_SIGNATURE);
        // The authority's signature over a license line's domain is not a certificate signature.
        DeviceCertificate crossDomain = new DeviceCertificate("DI-0001", UDI, DEVICE_KEY.publicKey(), FROM, UNTIL,
                CA.keyId(), new LicenseSigner(SigningKey.fromSeed(HexFormat.of().parseHex(
                        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7")))
                        .sign(Fixtures.permanent().build()).signature());
        assertThat(VERIFIER.verify(crossDomain, UDI, NOW).status()).isEqualTo(Status.BAD_SIGNATURE);
        assertThat(VERIFIER.verify(DeviceCertificate.of("DI-0001", UDI, DEVICE_KEY.publicKey(), FROM, UNTIL), UDI,
                NOW).status()).isEqualTo(Status.BAD_SIGNATURE);

        CertificateVerification udi = VERIFIER.verify(c, Udi.parse("PID:C1111-4P,SN:FGL2231AB2D"), NOW);
        assertThat(udi.status()).isEqualTo(Status.UDI_MISMATCH);
        assertThat(udi.message()).contains("PID:C1111-4P,SN:FGL2231AB1C", "PID:C1111-4P,SN:FGL2231AB2D");
        assertThat(VERIFIER.verify(c, Udi.parse("PID:C1111-8P,SN:FGL2231AB1C"), NOW).status())
                .isEqualTo(Status.UDI_MISMATCH);

        CertificateVerification key = VERIFIER.verifyFor(c, UDI, other.publicKey(), NOW);
        assertThat(key.status()).isEqualTo(Status.KEY_MISMATCH);
        assertThat(key.message()).contains(DEVICE_KEY.keyId(), other.keyId());

        assertThat(VERIFIER.verify(c, UDI, FROM.minusSeconds(1)).status()).isEqualTo(Status.NOT_YET_VALID);
        assertThat(VERIFIER.verify(c, UDI, FROM).ok()).as("notbefore is inclusive").isTrue();
        assertThat(VERIFIER.verify(c, UDI, UNTIL.minusSeconds(1)).ok()).isTrue();
        CertificateVerification expired = VERIFIER.verify(c, UDI, UNTIL);
        assertThat(expired.status()).as("notafter is exclusive").isEqualTo(Status.EXPIRED);
        assertThat(expired.message()).contains("expired at 2036-03-01T00:00:00Z");
        assertThatThrownBy(expired::certifiedKey).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("EXPIRED");
    }

    @Test
    void checksRunInTheDocumentedOrder() {
        // Unknown issuer, wrong UDI and expired at once: the issuer is reported; then signature before UDI, UDI
        // before key, key before time.
        DeviceCertificate c = cert();
        Udi elsewhere = Udi.parse("PID:C1111-4P,SN:OTHER1");
        assertThat(new DeviceCertificateVerifier(List.of()).verify(c, elsewhere, UNTIL).status())
                .isEqualTo(Status.UNKNOWN_ISSUER);
        DeviceCertificate altered = DeviceCertificate.parse(c.toText().replace("DI-0001", "DI-0009"));
        assertThat(VERIFIER.verify(altered, elsewhere, UNTIL).status()).isEqualTo(Status.BAD_SIGNATURE);
        assertThat(VERIFIER.verifyFor(c, elsewhere, CA.publicKey(), UNTIL).status()).isEqualTo(Status.UDI_MISMATCH);
        assertThat(VERIFIER.verifyFor(c, UDI, CA.publicKey(), UNTIL).status()).isEqualTo(Status.KEY_MISMATCH);
        assertThat(VERIFIER.verifyFor(c, UDI, DEVICE_KEY.publicKey(), UNTIL).status()).isEqualTo(Status.EXPIRED);
    }

    @Test
    void theParserAcceptsOneSpellingOnly() {
        String good = cert().toText();
        List<String> bad = List.of(
                good + " ",
                " " + good,
                good.replace(" udi=", "  udi="),
                good.replace("NLDI1", "NLDC1"),
                good.replace("serial=DI-0001", "serial=DI_0001"),
                good.replace("serial=DI-0001 ", ""),
                good.replace(" devicekeyid=", " keyid="),
                good.replace("devicekeyid=nl1-39f713d0a644253f", "devicekeyid=nl1-39f713d0a644253e"),
                good.replace("notbefore=2026-03-01T00:00:00Z", "notbefore=2026-03-01T00:00:00.000Z"),
                good.replace("notbefore=2026-03-01T00:00:00Z", "notbefore=2026-02-30T00:00:00Z"),
                good.replace("notbefore=2026-03-01T00:00:00Z", "notbefore=2036-03-01T00:00:00Z"),
                good.replace("udi=PID:C1111-4P", "udi=PID:c1111-4P"),
                good.replace("issuer=" + CA.keyId(), "issuer=-"),
                good.substring(0, good.length() - 1),
                good.substring(0, good.length() - 1) + "B", // unused base64url bits set
                good.replace(" sig=", " sig=A"),
                good + " extra=1",
                good.replace('-', '\u2011'));
        for (String text : bad) {
            assertThatThrownBy(() -> DeviceCertificate.parse(text)).as(text)
                    .isInstanceOf(TicketFormatException.class).hasMessageContaining("device certificate");
        }
        assertThatThrownBy(() -> DeviceCertificate.parse(good.replace("notbefore=2026-03-01T00:00:00Z",
                "notbefore=2036-03-01T00:00:00Z"))).hasMessageContaining("must be before notAfter");
        assertThatThrownBy(() -> DeviceCertificate.parse(good.replace("devicekeyid=nl1-39f713d0a644253f",
                "devicekeyid=nl1-39f713d0a644253e"))).hasMessageContaining("is not the id of its devicekey");
        assertThatThrownBy(() -> DeviceCertificate.parseFile("# nothing\n")).hasMessageContaining("no NLDI1 line");
    }

    @Test
    void theAuthorityNeverCertifiesItself() {
        assertThatThrownBy(() -> CA.issue("DI-1", UDI, CA.publicKey(), FROM, UNTIL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("own key");
        assertThatThrownBy(() -> CA.issue("DI 1", UDI, DEVICE_KEY.publicKey(), FROM, UNTIL))
                .hasMessageContaining("serial");
        assertThatThrownBy(() -> CA.issue("DI-1", UDI, DEVICE_KEY.publicKey(), UNTIL, FROM))
                .hasMessageContaining("before");
        assertThatThrownBy(() -> CA.issue("DI-1", UDI, DEVICE_KEY.publicKey(), FROM.plusMillis(1), UNTIL))
                .hasMessageContaining("whole-second");
    }

    @Test
    void aCredentialCarriesTheCertificateWithoutChangingItsSignedLine() {
        DeviceCredential plain = new TicketSigner(DEVICE_KEY).sign(DeviceCredential.of(UDI, DEVICE_KEY.publicKey(),
                Instant.parse("2026-04-01T09:00:00Z")));
        DeviceCredential certified = plain.withCertificate(cert());
        assertThat(certified.toText()).isEqualTo(plain.toText());
        assertThat(certified.signingInput()).isEqualTo(plain.signingInput());
        assertThat(certified.toFile()).isEqualTo(plain.toFile() + cert().toText() + "\n");
        assertThat(DeviceCredential.parseFile(certified.toFile())).isEqualTo(certified);
        assertThat(DeviceCredential.parseFile(plain.toFile()).certificate()).isNull();
        assertThat(DeviceCredential.parseFile("\uFEFF# Nodelock device credential v1\r\n" + plain.toText() + "\r\n\r\n"
                + cert().toText() + "\r\n")).isEqualTo(certified);
        assertThat(TicketVerifier.verifyCredential(certified).ok()).isTrue();

        assertThat(VERIFIER.verifyCredential(certified, NOW).status()).isEqualTo(Status.OK);
        assertThat(VERIFIER.verifyCredential(certified, NOW).certifiedKey()).isEqualTo(DEVICE_KEY.publicKey());
        assertThat(VERIFIER.verifyCredential(plain, NOW).status()).isEqualTo(Status.UNCERTIFIED);

        // Another device's certificate stapled to this credential: its key is not the credential's key.
        SigningKey thief = SigningKey.fromSeed(new byte[32]);
        DeviceCredential stolen = new TicketSigner(thief).sign(DeviceCredential.of(UDI, thief.publicKey(),
                Instant.parse("2026-04-01T09:00:00Z"))).withCertificate(cert());
        assertThat(VERIFIER.verifyCredential(stolen, NOW).status()).isEqualTo(Status.KEY_MISMATCH);
        // A certificate for another UDI with the same key.
        DeviceCredential moved = plain.withCertificate(CA.issue("DI-0002", Udi.parse("PID:C1111-4P,SN:OTHER1"),
                DEVICE_KEY.publicKey(), FROM, UNTIL));
        assertThat(VERIFIER.verifyCredential(moved, NOW).status()).isEqualTo(Status.UDI_MISMATCH);
        // A credential whose own signature fails is refused before its certificate is looked at.
        DeviceCredential forged = new DeviceCredential(UDI, DEVICE_KEY.publicKey(), plain.issuedAt(),
                new byte[64], cert());
        assertThat(VERIFIER.verifyCredential(forged, NOW).status()).isEqualTo(Status.BAD_CREDENTIAL);
        assertThat(VERIFIER.verifyCredential(certified, UNTIL).status()).isEqualTo(Status.EXPIRED);
    }

    @Test
    void aCredentialFileHasAtMostOneCertificateAfterItsLine() {
        DeviceCredential plain = new TicketSigner(DEVICE_KEY).sign(DeviceCredential.of(UDI, DEVICE_KEY.publicKey(),
                Instant.parse("2026-04-01T09:00:00Z")));
        String cert = cert().toText();
        assertThatThrownBy(() -> DeviceCredential.parseFile(cert + "\n" + plain.toText() + "\n"))
                .hasMessageContaining("must start with NLDC1");
        assertThatThrownBy(() -> DeviceCredential.parseFile(plain.toText() + "\n" + plain.toText() + "\n"))
                .hasMessageContaining("more than one");
        assertThatThrownBy(() -> DeviceCredential.parseFile(plain.toText() + "\n" + cert + "\n" + cert + "\n"))
                .hasMessageContaining("more than a credential line and a certificate line");
        assertThatThrownBy(() -> DeviceCredential.parseFile(plain.toText() + "\nhello\n"))
                .hasMessageContaining("must be its device certificate");
        assertThatThrownBy(() -> DeviceCredential.parseFile(plain.toText() + "\n" + cert + "x\n"))
                .isInstanceOf(TicketFormatException.class).hasMessageContaining("device certificate");
        assertThatThrownBy(() -> plain.withCertificate(DeviceCertificate.of("DI-1", UDI, DEVICE_KEY.publicKey(),
                FROM, UNTIL))).hasMessageContaining("only a signed device certificate");
    }
}
