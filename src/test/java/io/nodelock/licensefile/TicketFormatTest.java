package io.nodelock.licensefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodelock.licensefile.TicketVerification.Status;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class TicketFormatTest {

    static final SigningKey SERVICE = Fixtures.TEST_KEY;
    static final SigningKey DEVICE = SigningKey.fromSeed(HexFormat.of()
            .parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
    static final Udi SOURCE = Udi.parse("PID:C1111-4P,SN:FGL2231AB1C");
    static final Instant T0 = Instant.parse("2026-04-01T10:00:00Z");
    static final TicketVerifier VERIFIER = new TicketVerifier(List.of(SERVICE.publicKey()));

    static PermissionTicket permission() {
        return new TicketSigner(SERVICE).sign(PermissionTicket.of("PT-1", SOURCE, List.of("NL-1", "NL-2"), T0,
                T0.plusSeconds(86400)));
    }

    @Test
    void roundTripsAndFiles() {
        PermissionTicket pt = permission();
        assertThat(PermissionTicket.parse(pt.toText())).isEqualTo(pt);
        assertThat(PermissionTicket.parseFile("\uFEFF# c\r\n\r\n" + pt.toText() + "\r\n")).isEqualTo(pt);
        RehostTicket rt = new TicketSigner(DEVICE).sign(RehostTicket.of("PT-1", SOURCE, pt.licenseIds(), T0,
                DEVICE.publicKey()));
        assertThat(RehostTicket.parseFile(rt.toFile())).isEqualTo(rt);
        DeviceCredential dc = new TicketSigner(DEVICE).sign(DeviceCredential.of(SOURCE, DEVICE.publicKey(), T0));
        assertThat(DeviceCredential.parseFile(dc.toFile())).isEqualTo(dc);
    }

    @Test
    void strictParser() {
        String t = permission().toText();
        assertThatThrownBy(() -> PermissionTicket.parse(t + " ")).isInstanceOf(TicketFormatException.class);
        assertThatThrownBy(() -> PermissionTicket.parse(t.replace("NLPT1", "NLPT2")))
                .hasMessageContaining("must start with NLPT1");
        assertThatThrownBy(() -> PermissionTicket.parse(t.substring(0, t.length() - 3)))
                .hasMessageContaining("sig");
        assertThatThrownBy(() -> PermissionTicket.parse(t.replace("licenses=NL-1,NL-2", "licenses=NL-1,NL-1")))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> PermissionTicket.parse(t.replace(" udi=", "  udi=")))
                .isInstanceOf(TicketFormatException.class);
        assertThatThrownBy(() -> PermissionTicket.parseFile(t + "\n" + t)).hasMessageContaining("more than one");
        assertThatThrownBy(() -> PermissionTicket.parseFile("# nothing\n")).hasMessageContaining("no NLPT1");
        assertThatThrownBy(() -> RehostTicket.parse(t)).hasMessageContaining("must start with NLRT1");
    }

    @Test
    void permissionChecksInOrder() {
        PermissionTicket pt = permission();
        assertThat(VERIFIER.verifyPermission(pt, SOURCE, T0).status()).isEqualTo(Status.OK);
        assertThat(new TicketVerifier(List.of(DEVICE.publicKey())).verifyPermission(pt, SOURCE, T0).status())
                .isEqualTo(Status.UNKNOWN_KEY_ID);
        PermissionTicket forged = PermissionTicket.parse(pt.toText().replace("NL-2", "NL-3"));
        assertThat(VERIFIER.verifyPermission(forged, SOURCE, T0).status()).isEqualTo(Status.BAD_SIGNATURE);
        assertThat(VERIFIER.verifyPermission(pt, Udi.parse("PID:C1111-4P,SN:FGL2231AB2D"), T0).message())
                .startsWith("UDI mismatch");
        assertThat(VERIFIER.verifyPermission(pt, Udi.parse("PID:C1111-4P,SN:FGL2231AB1C,VID:V09"), T0).ok()).isTrue();
        assertThat(VERIFIER.verifyPermission(pt, SOURCE, T0.minusSeconds(3600)).status())
                .isEqualTo(Status.NOT_YET_VALID);
        assertThat(VERIFIER.verifyPermission(pt, SOURCE, T0.plusSeconds(86400)).status()).isEqualTo(Status.EXPIRED);
    }

    @Test
    void rehostMustAnswerItsPermission() {
        PermissionTicket pt = permission();
        TicketSigner dev = new TicketSigner(DEVICE);
        RehostTicket ok = dev.sign(RehostTicket.of("PT-1", SOURCE, pt.licenseIds(), T0, DEVICE.publicKey()));
        assertThat(TicketVerifier.verifyRehostFor(ok, pt, DEVICE.publicKey()).ok()).isTrue();
        assertThat(TicketVerifier.verifyRehostFor(ok, pt, null).ok()).isTrue();
        assertThat(TicketVerifier.verifyRehostFor(ok, pt, SERVICE.publicKey()).status()).isEqualTo(Status.MISMATCH);
        RehostTicket fewer = dev.sign(RehostTicket.of("PT-1", SOURCE, List.of("NL-1"), T0, DEVICE.publicKey()));
        assertThat(TicketVerifier.verifyRehostFor(fewer, pt, null).status()).isEqualTo(Status.MISMATCH);
        RehostTicket other = dev.sign(RehostTicket.of("PT-9", SOURCE, pt.licenseIds(), T0, DEVICE.publicKey()));
        assertThat(TicketVerifier.verifyRehostFor(other, pt, null).status()).isEqualTo(Status.MISMATCH);
        RehostTicket tampered = RehostTicket.parse(ok.toText().replace("revoked=2026-04-01T10:00:00Z",
                "revoked=2026-04-01T10:00:01Z"));
        assertThat(TicketVerifier.verifyRehost(tampered).status()).isEqualTo(Status.BAD_SIGNATURE);
        assertThatThrownBy(() -> new TicketSigner(SERVICE).sign(RehostTicket.of("PT-1", SOURCE, pt.licenseIds(), T0,
                DEVICE.publicKey()))).isInstanceOf(IllegalArgumentException.class);
        // A key id that is not the devicekey's id is a format error, not a verifiable ticket.
        assertThatThrownBy(() -> RehostTicket.parse(ok.toText().replace(DEVICE.keyId(), SERVICE.keyId())))
                .hasMessageContaining("is not the id of its devicekey");
    }

    @Test
    void aLicenseSignatureIsNoTicketSignature() {
        // Domain separation: the same key signing the same text as another kind never verifies.
        PermissionTicket pt = permission();
        byte[] sig = Ed25519.sign(SERVICE, RehostTicket.SIGNING_DOMAIN + pt.unsignedText());
        assertThat(Ed25519.verify(SERVICE.publicKey(), pt.signingInput(), sig)).isFalse();
    }
}
