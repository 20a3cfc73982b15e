package io.nodelock.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.licensefile.LicenseVerifier;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.Udi;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {

    @TempDir
    Path dir;

    @Test
    void generatesAKeyOnceWithOwnerOnlyPermissionsAndKeepsIt() throws Exception {
        Path keys = dir.resolve("keys");
        SigningKeys first = new SigningKeys(properties(null, null, null, true, keys, List.of()));
        Path file = keys.resolve(SigningKeys.GENERATED_KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rwx------");

        SigningKeys again = new SigningKeys(properties(null, null, null, true, keys, List.of()));
        assertThat(again.activeKeyId()).isEqualTo(first.activeKeyId());
        assertSignsVerifiably(again);
    }

    @Test
    void loadsAPkcs8PemFile() throws Exception {
        SigningKey key = SigningKey.generate();
        Path pem = dir.resolve("signing.pem");
        Files.writeString(pem, key.toPkcs8Pem());
        SigningKeys keys = new SigningKeys(properties(pem, null, null, false, dir.resolve("unused"), List.of()));
        assertThat(keys.activeKeyId()).isEqualTo(key.keyId());
        assertThat(Files.exists(dir.resolve("unused"))).isFalse();
        assertSignsVerifiably(keys);
    }

    @Test
    void loadsAnEd25519KeyFromAPkcs12Keystore() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=nodelock-signing"), BigInteger.ONE, new Date(), new Date(System.currentTimeMillis() + 86_400_000L),
                new X500Name("CN=nodelock-signing"), pair.getPublic()).build(new JcaContentSignerBuilder("Ed25519").build(pair.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("nodelock-signing", pair.getPrivate(), "s3cret".toCharArray(), new X509Certificate[] {certificate});
        Path p12 = dir.resolve("signing.p12");
        try (var out = Files.newOutputStream(p12)) {
            store.store(out, "s3cret".toCharArray());
        }
        SigningKeys keys = new SigningKeys(properties(null, p12, "s3cret", false, dir, List.of()));
        assertSignsVerifiably(keys);

        assertThatThrownBy(() -> new SigningKeys(properties(null, p12, "wrong", false, dir, List.of())))
                .hasMessageContaining("Cannot load the signing key from keystore");
    }

    @Test
    void refusesToStartWithoutAKeyWhenGenerationIsOff() {
        assertThatThrownBy(() -> new SigningKeys(properties(null, null, null, false, dir, List.of())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nodelock.signing.key-file");
    }

    @Test
    void publishesRetiredKeysForVerificationOnly() throws Exception {
        SigningKey retired = SigningKey.generate();
        Path retiredPem = dir.resolve("retired.pub.pem");
        Files.writeString(retiredPem, retired.publicKey().toPem());
        SigningKeys keys = new SigningKeys(properties(null, null, null, true, dir.resolve("keys"), List.of(retiredPem)));
        assertThat(keys.publishedKeys()).extracting(k -> k.keyId()).containsExactly(keys.activeKeyId(), retired.keyId());
    }

    @Test
    void neitherTheKeyNorTheKeystorePasswordShowUpInToString() {
        SigningKey key = SigningKey.generate();
        String pemBody = key.toPkcs8Pem().lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertThat(key.toString()).doesNotContain(pemBody);
        assertThat(properties(null, dir, "hunter2", false, dir, List.of()).toString()).doesNotContain("hunter2");
    }

    private static void assertSignsVerifiably(SigningKeys keys) {
        LicenseLine unsigned = new LicenseLine(1, "NL-TEST-1", "securityk9", Udi.parse("PID:C1111-4P,SN:FGL2231AB1C"),
                LicenseType.PERMANENT, 0, 0, null, null, Instant.parse("2026-11-28T00:00:00Z"), keys.activeKeyId(), null);
        LicenseLine signed = keys.signer().sign(unsigned);
        assertThat(new LicenseVerifier(keys.publishedKeys()).verify(signed).ok()).isTrue();
    }

    private static SigningProperties properties(Path keyFile, Path keystore, String password, boolean generate, Path generatedDir,
                                                List<Path> retired) {
        return new SigningProperties(keyFile, keystore, password, "nodelock-signing", generate, generatedDir, retired);
    }
}
