package io.nodelock.devicetool;

import static io.nodelock.devicetool.Cli.DEV1;
import static io.nodelock.devicetool.Cli.DEV2;
import static org.assertj.core.api.Assertions.assertThat;

import io.nodelock.licensefile.CertificateVerification;
import io.nodelock.licensefile.DeviceCertificate;
import io.nodelock.licensefile.DeviceCertificateVerifier;
import io.nodelock.licensefile.DeviceCredential;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.licensefile.ManufacturingAuthority;
import io.nodelock.licensefile.ManufacturingBundle;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.Udi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code device init --bundle}: a device made by the factory, through the command line. */
class DeviceToolBundleTest {

    static final ManufacturingAuthority CA = new ManufacturingAuthority(SigningKey.generate());
    static final Instant FROM = Instant.parse("2026-06-01T00:00:00Z");
    static final Instant UNTIL = Instant.parse("2036-06-01T00:00:00Z");

    @TempDir
    Path tmp;
    Cli cli;
    SigningKey deviceKey;

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp);
        deviceKey = SigningKey.generate();
    }

    DeviceCertificate cert(Udi udi, SigningKey key) {
        return CA.issue("DI-T-0001", udi, key.publicKey(), FROM, UNTIL);
    }

    Path bundle(String name, ManufacturingBundle b) {
        return cli.write(name, b.toText());
    }

    Path goodBundle(LicenseLine... lines) {
        return bundle("dev1.bundle", ManufacturingBundle.of(DEV1, deviceKey, cert(DEV1, deviceKey),
                List.of(CA.publicKey()), List.of(lines)));
    }

    Cli.Result initFrom(String device, Path bundle, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("device", "init", "--bundle", bundle.toString(),
                "--trust", cli.serviceKeyPem.toString()));
        args.addAll(List.of(more));
        return cli.on(device, args.toArray(String[]::new));
    }

    @Test
    void theDeviceTakesItsIdentityFromTheBundleAndInstallsItsLicenses() throws IOException {
        LicenseLine ipservices = cli.permanent("ipservices", DEV1);
        LicenseLine securityk9 = cli.permanent("securityk9", DEV1);
        Cli.Result init = initFrom("dev1", goodBundle(ipservices, securityk9));
        assertThat(init.exit()).as(init.toString()).isZero();
        assertThat(init.err()).isEmpty();
        assertThat(init.out()).contains("Device " + DEV1 + " created in ", " from bundle ",
                "Device key id: " + deviceKey.keyId(),
                "Device certificate: serial DI-T-0001, issuer " + CA.keyId()
                        + ", valid 2026-06-01T00:00:00Z to 2036-06-01T00:00:00Z",
                "Trusted manufacturing authorities: " + CA.keyId(),
                "bundle line 9: installed " + ipservices.licenseId() + " (ipservices, permanent)",
                "bundle line 10: installed " + securityk9.licenseId() + " (securityk9, permanent)",
                "2 preinstalled line(s) installed, 0 rejected; image level ipservices");

        Path dir = tmp.resolve("dev1");
        assertThat(SigningKey.fromPkcs8Pem(Files.readString(dir.resolve(SimulatedDevice.KEY_FILE))).publicKey())
                .isEqualTo(deviceKey.publicKey());
        assertThat(dir.resolve(SimulatedDevice.AUTHORITY_DIR).resolve(CA.keyId() + ".pem")).exists();

        Cli.Result udi = cli.on("dev1", "show", "license", "udi");
        assertThat(udi.exit()).as(udi.toString()).isZero();
        assertThat(udi.out()).contains("Device key id: " + deviceKey.keyId(),
                "Device certificate: serial DI-T-0001", "Issuer: " + CA.keyId(),
                "Valid from: 2026-06-01T00:00:00Z", "Valid until: 2036-06-01T00:00:00Z (exclusive)",
                "Certified key: " + deviceKey.keyId(), "Status: OK (device certificate DI-T-0001 certifies",
                "Trusted manufacturing authorities: " + CA.keyId());
        Cli.Result json = cli.on("dev1", "show", "license", "udi", "--json");
        assertThat(json.out()).contains("\"certificate\"", "\"serial\": \"DI-T-0001\"", "\"status\": \"OK\"",
                "\"notAfter\": \"2036-06-01T00:00:00Z\"", "\"authorities\"");
        assertThat(cli.on("dev1", "show", "license", "feature").out()).containsPattern("securityk9 +addon +yes");
        assertThat(cli.on("dev1", "show", "license", "history").out()).contains("device-init", "DI-T-0001",
                "ca-add");

        // The credential carries the certificate; a service holding the authority's key trusts the device key.
        Path credFile = tmp.resolve("cred.txt");
        Cli.Result save = cli.on("dev1", "license", "save", "credential", credFile.toString());
        assertThat(save.exit()).as(save.toString()).isZero();
        assertThat(save.out()).contains("carries device certificate DI-T-0001");
        DeviceCredential credential = DeviceCredential.parseFile(Files.readString(credFile));
        assertThat(credential.certificate()).isEqualTo(cert(DEV1, deviceKey));
        CertificateVerification v = new DeviceCertificateVerifier(List.of(CA.publicKey()))
                .verifyCredential(credential, cli.clock.instant());
        assertThat(v.status()).as(v.message()).isEqualTo(CertificateVerification.Status.OK);
        assertThat(v.certifiedKey()).isEqualTo(deviceKey.publicKey());
    }

    @Test
    void aBundleLineThatDoesNotVerifyIsReportedWithItsRowAndTheRestIsInstalled() {
        LicenseLine good = cli.permanent("ipservices", DEV1);
        LicenseLine otherDevice = cli.permanent("securityk9", DEV2);
        LicenseLine foreign = new io.nodelock.licensefile.LicenseSigner(SigningKey.generate())
                .sign(cli.line("uck9", DEV1, LicenseType.PERMANENT).build());
        Cli.Result init = initFrom("dev1", goodBundle(good, otherDevice, foreign));
        assertThat(init.exit()).as(init.toString()).isEqualTo(1);
        assertThat(init.out()).contains("bundle line 9: installed " + good.licenseId(),
                "1 preinstalled line(s) installed, 2 rejected");
        assertThat(init.err()).contains("error: bundle line 10: UDI mismatch", "error: bundle line 11: ")
                .contains("not trusted");
        // The device exists and works; only the refused lines are missing.
        assertThat(cli.on("dev1", "show", "license", "udi").out()).contains("Status: OK");
    }

    @Test
    void aTamperedOrMisfitBundleIsRefusedAndNoDeviceIsCreated() throws IOException {
        String good = ManufacturingBundle.of(DEV1, deviceKey, cert(DEV1, deviceKey), List.of(CA.publicKey()),
                List.of()).toText();
        // The certificate's serial edited after signing.
        refused(cli.write("tampered.bundle", good.replace("serial=DI-T-0001", "serial=DI-T-0002")),
                "refused (BAD_SIGNATURE): device certificate DI-T-0002 has a bad signature");
        // Another device's key (a valid certificate, but for a different key than the bundle's private key).
        SigningKey other = SigningKey.generate();
        refused(bundle("key.bundle", ManufacturingBundle.of(DEV1, other, cert(DEV1, deviceKey),
                List.of(CA.publicKey()), List.of())), "refused (KEY_MISMATCH): key mismatch: device certificate "
                + "DI-T-0001 certifies device key " + deviceKey.keyId() + ", the device's key is " + other.keyId());
        // The bundle's UDI edited: the certificate names another device.
        refused(cli.write("udi.bundle", good.replace("NLMB1 udi=PID:C1111-4P,SN:FGL2231AB1C",
                "NLMB1 udi=PID:C1111-4P,SN:FGL2231AB2D")), "refused (UDI_MISMATCH): UDI mismatch: device "
                + "certificate DI-T-0001 is for PID:C1111-4P,SN:FGL2231AB1C, device is PID:C1111-4P,SN:FGL2231AB2D");
        // The authority swapped for one that did not issue the certificate.
        SigningKey rogue = SigningKey.generate();
        refused(bundle("ca.bundle", ManufacturingBundle.of(DEV1, deviceKey, cert(DEV1, deviceKey),
                List.of(rogue.publicKey()), List.of())), "refused (UNKNOWN_ISSUER)");
        // Out of its validity window on the device's clock.
        cli.clock.set(UNTIL);
        refused(cli.write("late.bundle", good), "refused (EXPIRED)");
        cli.clock.set(FROM.minusSeconds(60));
        refused(cli.write("early.bundle", good), "refused (NOT_YET_VALID)");
        cli.clock.set(Instant.parse("2027-01-01T09:00:00Z"));
        // Cut off, or not a bundle at all.
        refused(cli.write("cut.bundle", good.substring(0, good.length() - 40)), "is malformed (TRUNCATED): row 7:");
        refused(cli.write("crlf.bundle", good.replace("\n", "\r\n")), "is malformed (BAD_CHARACTER): row 1: CR");
        refused(tmp.resolve("missing.bundle"), "cannot read bundle");

        Cli.Result ok = initFrom("dev1", cli.write("good.bundle", good));
        assertThat(ok.exit()).as(ok.toString()).isZero();
    }

    private void refused(Path bundle, String message) {
        Cli.Result r = initFrom("refused", bundle);
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").contains(message);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(tmp.resolve("refused").resolve(SimulatedDevice.PROPERTIES)).doesNotExist();
    }

    @Test
    void pidAndSnBesideTheBundleMustMatchIt() {
        Path b = goodBundle();
        Cli.Result wrongSn = initFrom("dev1", b, "--pid", DEV1.productId(), "--sn", DEV2.serialNumber());
        assertThat(wrongSn.exit()).isEqualTo(1);
        assertThat(wrongSn.err()).contains("--sn " + DEV2.serialNumber() + " does not match the bundle's UDI "
                + DEV1);
        Cli.Result wrongVid = initFrom("dev1", b, "--vid", "V09");
        assertThat(wrongVid.err()).contains("--vid V09 does not match");
        Cli.Result same = initFrom("dev1", b, "--pid", DEV1.productId(), "--sn", DEV1.serialNumber());
        assertThat(same.exit()).as(same.toString()).isZero();

        Cli.Result neither = cli.on("dev2", "device", "init", "--pid", DEV2.productId());
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err()).contains("--pid and --sn, or --bundle");
    }

    @Test
    void aDeviceMadeWithoutABundleIsUncertifiedAndItsCredentialIsAsBefore() throws IOException {
        assertThat(cli.init("dev1", DEV1).exit()).isZero();
        assertThat(cli.on("dev1", "show", "license", "udi").out())
                .contains("Device certificate: none (uncertified device");
        assertThat(cli.on("dev1", "show", "license", "udi", "--json").out()).contains("\"certificate\": null");
        Path credFile = tmp.resolve("cred.txt");
        assertThat(cli.on("dev1", "license", "save", "credential", credFile.toString()).out())
                .doesNotContain("carries");
        String text = Files.readString(credFile);
        assertThat(text.lines().filter(l -> !l.startsWith("#"))).hasSize(1);
        DeviceCredential credential = DeviceCredential.parseFile(text);
        assertThat(new DeviceCertificateVerifier(List.of(CA.publicKey())).verifyCredential(credential,
                cli.clock.instant()).status()).isEqualTo(CertificateVerification.Status.UNCERTIFIED);
    }

    @Test
    void anAlteredCertificateInTheStateFolderShowsAsSuch() throws IOException {
        assertThat(initFrom("dev1", goodBundle()).exit()).isZero();
        Path certFile = tmp.resolve("dev1").resolve(SimulatedDevice.CERTIFICATE_FILE);
        Files.writeString(certFile, Files.readString(certFile).replace("notafter=2036", "notafter=2046"));
        assertThat(cli.on("dev1", "show", "license", "udi").out()).contains("Status: BAD_SIGNATURE");
        // Replaced by the certificate of another device key: the device's own key no longer matches.
        Files.writeString(certFile, cert(DEV1, SigningKey.generate()).toFile());
        assertThat(cli.on("dev1", "show", "license", "udi").out()).contains("Status: KEY_MISMATCH");
        Files.writeString(certFile, "garbage\n");
        assertThat(cli.on("dev1", "show", "license", "udi").out()).contains("Device certificate: unreadable",
                "Status: MALFORMED");
    }
}
