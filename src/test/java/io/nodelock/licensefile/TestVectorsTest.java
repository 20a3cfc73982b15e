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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps code, the machine-readable vectors and docs/license-file-format.md in agreement. */
class TestVectorsTest {

    private static final Path DOC = Path.of("docs", "license-file-format.md");

    private static Map<String, String> header;
    private static List<Map<String, String>> vectors;

    @BeforeAll
    static void load() throws IOException {
        header = new LinkedHashMap<>();
        vectors = new ArrayList<>();
        try (InputStream in = TestVectorsTest.class.getResourceAsStream("/licensefile/test-vectors.txt")) {
            assertThat(in).as("test-vectors.txt on the test classpath").isNotNull();
            Map<String, String> current = header;
            for (String row : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (row.isBlank() || row.startsWith("#")) {
                    continue;
                }
                int sep = row.indexOf(" = ");
                String name = row.substring(0, sep);
                String value = row.substring(sep + 3);
                if (name.equals("vector")) {
                    current = new LinkedHashMap<>();
                    vectors.add(current);
                }
                current.put(name, value);
            }
        }
    }

    @Test
    void keyMatchesVectors() {
        SigningKey key = SigningKey.fromSeed(HexFormat.of().parseHex(header.get("seed")));
        assertThat(key.publicKey().hex()).isEqualTo(header.get("public"));
        assertThat(key.keyId()).isEqualTo(header.get("keyid"));
        assertThat(vectors).hasSizeGreaterThanOrEqualTo(4);
        assertThat(vectors).extracting(v -> LicenseLine.parse(v.get("line")).type())
                .contains(LicenseType.PERMANENT, LicenseType.SUBSCRIPTION, LicenseType.EVALUATION);
    }

    @Test
    void resigningReproducesEveryVectorExactly() {
        LicenseSigner signer = new LicenseSigner(SigningKey.fromSeed(HexFormat.of().parseHex(header.get("seed"))));
        for (Map<String, String> v : vectors) {
            LicenseLine parsed = LicenseLine.parse(v.get("line"));
            LicenseLine stripped = parsed.unsigned(null);
            assertThat(signer.signingInput(stripped)).as(v.get("vector"))
                    .isEqualTo(v.get("input").replace("\\n", "\n"));
            assertThat(signer.sign(stripped).toText()).as(v.get("vector")).isEqualTo(v.get("line"));
        }
    }

    @Test
    void vectorsVerifyWithTheJdkEd25519() throws Exception {
        // An independent Ed25519 implementation guards against a shared misunderstanding in signer and verifier.
        byte[] spki = PublicKeyInfo.readPem(PublicKeyInfo.of(HexFormat.of().parseHex(header.get("public"))).toPem(),
                "PUBLIC KEY").getContent();
        PublicKey jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        for (Map<String, String> v : vectors) {
            LicenseLine line = LicenseLine.parse(v.get("line"));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(jdkKey);
            s.update(v.get("input").replace("\\n", "\n").getBytes(StandardCharsets.UTF_8));
            assertThat(s.verify(line.signature())).as(v.get("vector")).isTrue();
        }
    }

    @Test
    void documentContainsEveryVectorVerbatim() throws IOException {
        assertThat(DOC).as("run from the project base directory").exists();
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        assertThat(doc).contains(header.get("seed"), header.get("public"), header.get("keyid"));
        for (Map<String, String> v : vectors) {
            assertThat(doc).as(v.get("vector")).contains(v.get("line"));
            // The signing input is shown in the doc as its two text lines.
            assertThat(doc).as(v.get("vector")).contains(v.get("input").replace("\\n", "\n"));
        }
    }
}
