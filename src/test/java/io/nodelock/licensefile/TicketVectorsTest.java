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
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the ticket code, the machine-readable vectors and docs/tickets.md in agreement. */
class TicketVectorsTest {

    private static final Path DOC = Path.of("docs", "tickets.md");
    private static Map<String, String> header;
    private static Map<String, Map<String, String>> vectors;

    @BeforeAll
    static void load() throws IOException {
        header = new LinkedHashMap<>();
        vectors = new LinkedHashMap<>();
        try (InputStream in = TicketVectorsTest.class.getResourceAsStream("/licensefile/ticket-vectors.txt")) {
            assertThat(in).isNotNull();
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
                    vectors.put(value, current);
                }
                current.put(name, value);
            }
        }
    }

    private static SigningKey key(String who) {
        return SigningKey.fromSeed(HexFormat.of().parseHex(header.get(who + "-seed")));
    }

    private static String input(String vector) {
        return vectors.get(vector).get("input").replace("\\n", "\n");
    }

    private static String line(String vector) {
        return vectors.get(vector).get("line");
    }

    @Test
    void keysMatchTheHeader() {
        assertThat(key("service").publicKey().hex()).isEqualTo(header.get("service-public"));
        assertThat(key("service").keyId()).isEqualTo(header.get("service-keyid"));
        assertThat(key("device").publicKey().hex()).isEqualTo(header.get("device-public"));
        assertThat(key("device").keyId()).isEqualTo(header.get("device-keyid"));
        assertThat(vectors).containsOnlyKeys("permission-ticket", "rehost-ticket", "device-credential");
    }

    @Test
    void resigningReproducesEveryVector() {
        PermissionTicket pt = PermissionTicket.parse(line("permission-ticket"));
        assertThat(pt.signingInput()).isEqualTo(input("permission-ticket"));
        PermissionTicket unsigned = PermissionTicket.of(pt.ticketId(), pt.udi(), pt.licenseIds(), pt.issuedAt(),
                pt.expiresAt());
        assertThat(new TicketSigner(key("service")).sign(unsigned).toText()).isEqualTo(line("permission-ticket"));

        RehostTicket rt = RehostTicket.parse(line("rehost-ticket"));
        assertThat(rt.signingInput()).isEqualTo(input("rehost-ticket"));
        assertThat(new TicketSigner(key("device")).sign(RehostTicket.of(rt.permissionTicketId(), rt.udi(),
                rt.licenseIds(), rt.revokedAt(), rt.deviceKey())).toText()).isEqualTo(line("rehost-ticket"));

        DeviceCredential dc = DeviceCredential.parse(line("device-credential"));
        assertThat(dc.signingInput()).isEqualTo(input("device-credential"));
        assertThat(new TicketSigner(key("device")).sign(DeviceCredential.of(dc.udi(), dc.deviceKey(),
                dc.issuedAt())).toText()).isEqualTo(line("device-credential"));
    }

    @Test
    void vectorsVerifyWithTheLibraryAndTheJdk() throws Exception {
        PermissionTicket pt = PermissionTicket.parse(line("permission-ticket"));
        assertThat(new TicketVerifier(java.util.List.of(key("service").publicKey()))
                .verifyPermission(pt, pt.udi(), pt.issuedAt()).ok()).isTrue();
        RehostTicket rt = RehostTicket.parse(line("rehost-ticket"));
        assertThat(TicketVerifier.verifyRehostFor(rt, pt, key("device").publicKey()).ok()).isTrue();
        assertThat(TicketVerifier.verifyCredential(DeviceCredential.parse(line("device-credential"))).ok()).isTrue();

        assertThat(jdkVerify("service", "permission-ticket")).isTrue();
        assertThat(jdkVerify("device", "rehost-ticket")).isTrue();
        assertThat(jdkVerify("device", "device-credential")).isTrue();
    }

    private static boolean jdkVerify(String who, String vector) throws Exception {
        byte[] spki = PublicKeyInfo.readPem(key(who).publicKey().toPem(), "PUBLIC KEY").getContent();
        PublicKey jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(jdkKey);
        s.update(input(vector).getBytes(StandardCharsets.UTF_8));
        String l = line(vector);
        return s.verify(Base64.getUrlDecoder().decode(l.substring(l.lastIndexOf(" sig=") + 5)));
    }

    @Test
    void documentContainsEveryVectorVerbatim() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        for (String k : header.keySet()) {
            assertThat(doc).as(k).contains(header.get(k));
        }
        for (String v : vectors.keySet()) {
            assertThat(doc).as(v).contains(line(v)).contains(input(v));
        }
    }
}
