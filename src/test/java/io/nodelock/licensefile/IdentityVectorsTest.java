package io.nodelock.licensefile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the identity code, the machine-readable vectors and docs/device-identity.md in agreement. */
class IdentityVectorsTest {

    private static final Path DOC = Path.of("docs", "device-identity.md");
    private static Map<String, String> header;
    private static Map<String, Map<String, String>> vectors;
    private static String bundleText;

    @BeforeAll
    static void load() throws IOException {
        header = new LinkedHashMap<>();
        vectors = new LinkedHashMap<>();
        Map<String, String> current = header;
        for (String row : resource("identity-vectors.txt").split("\n")) {
            if (row.isBlank() || row.startsWith("#")) {
                continue;
            }
            int sep = row.indexOf(" = ");
            String name = row.substring(0, sep);
            String value = row.substring(sep + 3);
            if (name.equals("vector")) {
                current = new LinkedHashMap<>();
                vectors.put(value, current);
            }
            current.put(name, value);
        }
        bundleText = resource("identity-vector-bundle.txt");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = IdentityVectorsTest.class.getResourceAsStream("/licensefile/" + name)) {
            assertThat(in).as(name + " on the test classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static SigningKey key(String who) {
        return SigningKey.fromSeed(HexFormat.of().parseHex(header.get(who + "-seed")));
    }

    private static Instant checkedAt() {
        return Instant.parse(header.get("checked-at"));
    }

    private static String certificateLine() {
        return vectors.get("certificate").get("line");
    }

    @Test
    void keysMatchTheHeader() {
        assertThat(key("authority").publicKey().hex()).isEqualTo(header.get("authority-public"));
        assertThat(key("authority").keyId()).isEqualTo(header.get("authority-keyid"));
        assertThat(key("device").publicKey().hex()).isEqualTo(header.get("device-public"));
        assertThat(key("device").keyId()).isEqualTo(header.get("device-keyid"));
        assertThat(key("service").keyId()).isEqualTo(header.get("service-keyid"));
        assertThat(vectors).containsOnlyKeys("certificate", "credential", "license");
    }

    @Test
    void issuingAgainReproducesTheCertificateExactly() {
        DeviceCertificate parsed = DeviceCertificate.parse(certificateLine());
        assertThat(parsed.signingInput()).isEqualTo(vectors.get("certificate").get("input").replace("\\n", "\n"));
        DeviceCertificate issued = new ManufacturingAuthority(key("authority")).issue(parsed.serial(), parsed.udi(),
                key("device").publicKey(), parsed.notBefore(), parsed.notAfter());
        assertThat(issued.toText()).isEqualTo(certificateLine());
        assertThat(new DeviceCertificateVerifier(List.of(key("authority").publicKey()))
                .verify(certificateLine(), parsed.udi(), checkedAt()).certifiedKey())
                .isEqualTo(key("device").publicKey());
    }

    @Test
    void theCertificateVerifiesWithTheJdkEd25519() throws Exception {
        // An independent Ed25519 implementation guards against a shared misunderstanding in signer and verifier.
        byte[] spki = PublicKeyInfo.readPem(key("authority").publicKey().toPem(), "PUBLIC KEY").getContent();
        PublicKey jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(jdkKey);
        s.update(vectors.get("certificate").get("input").replace("\\n", "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(s.verify(DeviceCertificate.parse(certificateLine()).signature())).isTrue();
    }

    @Test
    void theCredentialWithItsCertificateVerifies() {
        String file = "# Nodelock device credential v1\n" + vectors.get("credential").get("credential") + "\n"
                + certificateLine() + "\n";
        DeviceCredential credential = DeviceCredential.parseFile(file);
        assertThat(credential.toFile()).isEqualTo(file);
        assertThat(new DeviceCertificateVerifier(List.of(key("authority").publicKey()))
                .verifyCredential(credential, checkedAt()).ok()).isTrue();
    }

    @Test
    void buildingTheBundleAgainReproducesItByteForByte() {
        ManufacturingBundle parsed = ManufacturingBundle.parse(bundleText.getBytes(StandardCharsets.US_ASCII));
        assertThat(parsed.toText()).isEqualTo(bundleText);
        assertThat(parsed.check(checkedAt()).ok()).isTrue();
        LicenseLine license = LicenseLine.parse(vectors.get("license").get("line"));
        assertThat(new LicenseSigner(key("service")).sign(license.unsigned(null)).toText())
                .isEqualTo(vectors.get("license").get("line"));
        ManufacturingBundle built = ManufacturingBundle.of(parsed.udi(), key("device"),
                DeviceCertificate.parse(certificateLine()), List.of(key("authority").publicKey()), List.of(license));
        assertThat(built.toText()).isEqualTo(bundleText);
        assertThat(new LicenseVerifier(List.of(key("service").publicKey()))
                .verifyFor(parsed.licenses().get(0), parsed.udi(), checkedAt()).ok()).isTrue();
    }

    @Test
    void documentContainsEveryVectorVerbatim() throws IOException {
        assertThat(DOC).as("run from the project base directory").exists();
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        for (String k : header.keySet()) {
            assertThat(doc).as(k).contains(header.get(k));
        }
        assertThat(doc).contains(vectors.get("certificate").get("input").replace("\\n", "\n"));
        assertThat(doc).contains(certificateLine());
        assertThat(doc).contains("# Nodelock device credential v1\n" + vectors.get("credential").get("credential")
                + "\n" + certificateLine() + "\n");
        // The private key's base64 row stays in the test resource only: the document shows every other row.
        String shown = bundleText.replaceFirst("(?m)(-----BEGIN PRIVATE KEY-----\n)[^\n]+\n",
                "$1<the PKCS#8 v1 PEM of the device seed above: see identity-vector-bundle.txt>\n");
        assertThat(shown).isNotEqualTo(bundleText);
        assertThat(doc).as("the bundle, every row but the key's").contains("```text\n" + shown + "```");
        assertThat(doc).doesNotContain(SigningKey.fromSeed(java.util.HexFormat.of().parseHex(header.get("device-seed"))).toPkcs8Pem()
                .lines().skip(1).findFirst().orElseThrow());
    }
}
