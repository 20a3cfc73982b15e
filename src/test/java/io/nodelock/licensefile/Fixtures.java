package io.nodelock.licensefile;

import java.time.Instant;
import java.util.HexFormat;

/** Shared keys and lines for the tests; the key is the public RFC 8032 TEST 1 key. */
final class Fixtures {

    static final String TEST_SEED_HEX = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    static final SigningKey TEST_KEY = SigningKey.fromSeed(HexFormat.of().parseHex(TEST_SEED_HEX));
    static final LicenseSigner SIGNER = new LicenseSigner(TEST_KEY);
    static final LicenseVerifier VERIFIER = new LicenseVerifier(java.util.List.of(TEST_KEY.publicKey()));
    static final Udi DEVICE = Udi.parse("PID:C9300-24T,SN:FOC2231X0AB,VID:V02");

    private Fixtures() {
    }

    static LicenseLine.Builder permanent() {
        return LicenseLine.builder()
                .licenseId("NL-0001")
                .feature("ipbase")
                .udi(DEVICE)
                .type(LicenseType.PERMANENT)
                .issuedAt(Instant.parse("2026-01-15T09:30:00Z"));
    }

    static LicenseLine.Builder subscription() {
        return permanent()
                .licenseId("NL-0002")
                .feature("dna-advantage")
                .type(LicenseType.SUBSCRIPTION)
                .notBefore(Instant.parse("2026-02-01T00:00:00Z"))
                .notAfter(Instant.parse("2027-02-01T00:00:00Z"));
    }

    static LicenseLine.Builder evaluation() {
        return permanent()
                .licenseId("NL-0003")
                .feature("securityk9")
                .type(LicenseType.EVALUATION)
                .usageDays(60);
    }

    static LicenseLine signedPermanent() {
        return SIGNER.sign(permanent().build());
    }
}
