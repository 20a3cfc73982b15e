package io.nodelock.licensefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void rfc8032KeyHasKnownPublicKeyAndStableId() {
        PublicKeyInfo pub = Fixtures.TEST_KEY.publicKey();
        assertThat(pub.hex()).isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(pub.keyId()).isEqualTo("nl1-21fe31dfa154a261");
        assertThat(SigningKey.fromSeed(HexFormat.of().parseHex(Fixtures.TEST_SEED_HEX)).keyId())
                .isEqualTo(pub.keyId());
    }

    @Test
    void keyIdIsDerivedFromSha256OfPublicKey() throws Exception {
        SigningKey key = SigningKey.generate();
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(key.publicKey().publicKey());
        assertThat(key.keyId()).isEqualTo("nl1-" + HexFormat.of().formatHex(digest).substring(0, 16))
                .matches("nl1-[0-9a-f]{16}");
        assertThat(SigningKey.generate().keyId()).isNotEqualTo(key.keyId());
    }

    @Test
    void privateKeyPemRoundTripKeepsKeyAndId() {
        SigningKey key = SigningKey.generate();
        String pem = key.toPkcs8Pem();
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        SigningKey back = SigningKey.fromPkcs8Pem(pem);
        assertThat(back.keyId()).isEqualTo(key.keyId());
        assertThat(back.publicKey()).isEqualTo(key.publicKey());
        LicenseLine line = Fixtures.permanent().build();
        assertThat(new LicenseSigner(back).sign(line)).isEqualTo(new LicenseSigner(key).sign(line));
    }

    @Test
    void publicKeyPemAndBase64RoundTrip() {
        PublicKeyInfo pub = SigningKey.generate().publicKey();
        assertThat(pub.toPem()).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(PublicKeyInfo.fromPem(pub.toPem())).isEqualTo(pub);
        assertThat(PublicKeyInfo.fromBase64(pub.base64())).isEqualTo(pub);
        assertThat(Base64.getDecoder().decode(pub.base64())).hasSize(32);
    }

    @Test
    void pemsAreStandardEncodingsTheJdkReads() throws Exception {
        SigningKey key = Fixtures.TEST_KEY;
        PrivateKey jdkPrivate = KeyFactory.getInstance("Ed25519")
                .generatePrivate(new PKCS8EncodedKeySpec(pemBody(key.toPkcs8Pem())));
        PublicKey jdkPublic = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(pemBody(key.publicKey().toPem())));
        // The JDK's independent Ed25519 must produce the same deterministic signature and accept ours.
        LicenseLine signed = Fixtures.signedPermanent();
        byte[] message = signed.signingInput().getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(jdkPrivate);
        s.update(message);
        assertThat(s.sign()).isEqualTo(signed.signature());
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(jdkPublic);
        v.update(message);
        assertThat(v.verify(signed.signature())).isTrue();
        // And a JDK-written PKCS#8 key is read back to the same key id.
        assertThat(SigningKey.fromPkcs8Pem(PublicKeyInfo.writePem("PRIVATE KEY", jdkPrivate.getEncoded())).keyId())
                .isEqualTo(key.keyId());
    }

    @Test
    void toStringHidesKeyMaterial() {
        SigningKey key = Fixtures.TEST_KEY;
        String pemBody = key.toPkcs8Pem().lines().filter(l -> !l.startsWith("-----")).reduce("", String::concat);
        assertThat(key.toString()).contains(key.keyId())
                .doesNotContain(Fixtures.TEST_SEED_HEX)
                .doesNotContain(pemBody)
                .doesNotContain(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(Fixtures.TEST_SEED_HEX)));
        assertThat(new LicenseSigner(key).toString()).doesNotContain(Fixtures.TEST_SEED_HEX);
    }

    @Test
    void rejectsWrongPems() {
        SigningKey key = SigningKey.generate();
        assertThatThrownBy(() -> SigningKey.fromPkcs8Pem(key.publicKey().toPem()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRIVATE KEY");
        assertThatThrownBy(() -> PublicKeyInfo.fromPem(key.toPkcs8Pem()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PUBLIC KEY");
        assertThatThrownBy(() -> PublicKeyInfo.fromPem("hello"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigningKey.fromPkcs8Pem(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigningKey.fromPkcs8Pem(PublicKeyInfo.writePem("PRIVATE KEY", new byte[] {1, 2})))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void publicKeyInfoRejectsForeignKeyIdAndWrongLength() {
        PublicKeyInfo pub = SigningKey.generate().publicKey();
        assertThatThrownBy(() -> new PublicKeyInfo("nl1-0000000000000000", pub.publicKey()))
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> PublicKeyInfo.of(new byte[31])).hasMessageContaining("32 bytes");
        byte[] raw = pub.publicKey();
        raw[0] ^= 1;
        assertThat(pub.publicKey()).isNotEqualTo(raw);
    }

    private static byte[] pemBody(String pem) {
        return PublicKeyInfo.readPem(pem, pem.contains("PRIVATE") ? "PRIVATE KEY" : "PUBLIC KEY").getContent();
    }

    /** The JSON example of GET /api/v1/keys in docs/license-file-format.md holds a key that reads back to its id. */
    @Test
    void documentedKeysJsonExampleParses() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("docs", "license-file-format.md"));
        java.util.regex.Matcher json = java.util.regex.Pattern.compile("(?s)## Publishing keys.*?```json\n(.*?)```")
                .matcher(doc);
        assertThat(json.find()).isTrue();
        String example = json.group(1);
        String keyId = member(example, "keyId");
        PublicKeyInfo fromBase64 = PublicKeyInfo.fromBase64(member(example, "publicKey"));
        PublicKeyInfo fromPem = PublicKeyInfo.fromPem(member(example, "pem").replace("\\n", "\n"));
        assertThat(fromBase64.keyId()).isEqualTo(keyId).isEqualTo(member(example, "activeKeyId"));
        assertThat(fromPem).isEqualTo(fromBase64).isEqualTo(Fixtures.TEST_KEY.publicKey());
        assertThat(member(example, "algorithm")).isEqualTo("Ed25519");
    }

    private static String member(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\": \"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }
}
