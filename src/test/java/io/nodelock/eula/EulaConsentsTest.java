package io.nodelock.eula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodelock.catalogue.Catalogue;
import io.nodelock.catalogue.CatalogueParser;
import io.nodelock.workflow.Refusal;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link EulaConsents#check}: what is consent to which version, and what the refusals say. */
class EulaConsentsTest {

    private static EulaConsents eulas;

    @BeforeAll
    static void load() throws Exception {
        Catalogue catalogue;
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/catalogue/catalogue.yml"), StandardCharsets.UTF_8)) {
            catalogue = new CatalogueParser().parse("catalogue.yml", reader);
        }
        // check() needs neither the database nor the audit trail
        eulas = new EulaConsents(catalogue, null, null);
    }

    @Test
    void onlyBooleanTrueIsConsent() {
        assertThat(eulas.check("2026-11", Boolean.TRUE)).isEmpty();
        for (Object notConsent : Arrays.asList(null, false, "true", "TRUE", 1, 1L, "yes", List.of(true), Optional.of(true))) {
            Refusal refusal = eulas.check("2026-11", notConsent).orElseThrow(() -> new AssertionError("accepted " + notConsent));
            assertThat(refusal.code()).as(String.valueOf(notConsent)).isEqualTo(EulaRefusals.EULA_NOT_ACCEPTED);
            assertThat(refusal.errors()).extracting(Refusal.FieldError::field).containsExactly("eulaAccepted");
        }
    }

    @Test
    void refusalsSayWhichVersionToReadAndWhere() {
        Refusal refusal = eulas.check("2026-11", false).orElseThrow();
        assertThat(refusal.message()).isEqualTo("The end-user license agreement must be accepted explicitly (\"eulaAccepted\": "
                + "true). Read version 2026-11 (\"Nodelock End-User License Agreement\") at /api/v1/eulas/2026-11 and send "
                + "\"eulaVersion\": \"2026-11\" with \"eulaAccepted\": true.");
        assertThat(refusal.details()).containsEntry("eulaVersion", "2026-11").containsEntry("eulaText", "/api/v1/eulas/2026-11")
                .containsEntry("eulaSha256", eulas.current().sha256());
        assertThat(refusal.type()).isEqualTo("eula-not-accepted");
    }

    @Test
    void onlyTheCurrentVersionMayBeAccepted() {
        assertThat(eulas.check(null, true)).get().extracting(Refusal::code).isEqualTo(EulaRefusals.EULA_UNKNOWN);
        assertThat(eulas.check(" ", true)).get().extracting(Refusal::code).isEqualTo(EulaRefusals.EULA_UNKNOWN);
        assertThat(eulas.check("2027-01", true)).get().satisfies(r -> {
            assertThat(r.code()).isEqualTo(EulaRefusals.EULA_UNKNOWN);
            assertThat(r.message()).startsWith("There is no version '2027-01' of the end-user license agreement.");
            assertThat(r.errors()).extracting(Refusal.FieldError::field).containsExactly("eulaVersion");
        });
        // what is not a version is not repeated back
        assertThat(eulas.check("<script>" + "x".repeat(500), true)).get().satisfies(r -> {
            assertThat(r.code()).isEqualTo(EulaRefusals.EULA_UNKNOWN);
            assertThat(r.message()).startsWith("eulaVersion is not a version like 2026-11").doesNotContain("script");
        });
        assertThat(eulas.check("2025-06", true)).get().satisfies(r -> {
            assertThat(r.code()).isEqualTo(EulaRefusals.EULA_OUTDATED);
            assertThat(r.message()).contains("2025-06", "2026-11", "/api/v1/eulas/2026-11");
        });
        // not accepted is said first, whatever the version
        assertThat(eulas.check("2025-06", null)).get().extracting(Refusal::code).isEqualTo(EulaRefusals.EULA_NOT_ACCEPTED);
    }

    @Test
    void versionsCarryTheSha256OfTheirUtf8Text() {
        assertThat(eulas.all()).extracting(Eula::version).containsExactly("2025-06", "2026-11");
        Eula current = eulas.current();
        assertThat(current.sha256()).isEqualTo(EulaConsents.sha256(current.text())).matches("[0-9a-f]{64}");
        // a known value: SHA-256 of "abc"
        assertThat(EulaConsents.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        // UTF-8, not a platform charset
        assertThat(EulaConsents.sha256("\u00e9")).isEqualTo("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
        assertThat(eulas.find("2025-06")).isPresent();
        assertThat(eulas.find("nope")).isEmpty();
        assertThat(eulas.find(null)).isEmpty();
    }

    @Test
    void aCatalogueWithoutEulaHasNoCurrentOneAndAcceptsNothing() {
        Catalogue plain = new CatalogueParser().parse("t.yml", """
                format: 1
                revision: "r"
                features:
                  - name: securityk9
                    description: Security
                products:
                  - id: C1111-4P
                    description: Cisco 1111
                skus:
                  - id: FL-SEC
                    description: Security
                    features: [securityk9]
                    type: permanent
                    products: [C1111-4P]
                """);
        EulaConsents none = new EulaConsents(plain, null, null);
        assertThat(none.all()).isEmpty();
        assertThatThrownBy(none::current).isInstanceOf(IllegalStateException.class).hasMessageContaining("no EULA");
        assertThat(none.check("2026-11", true)).get().extracting(Refusal::code).isEqualTo(EulaRefusals.EULA_UNKNOWN);
    }

    @Test
    void originsAreCleanedNotTrusted() {
        assertThat(new ConsentOrigin("api", " 10.0.0.1 ", "curl/8.5\r\nX-Forged: 1").userAgent()).isEqualTo("curl/8.5??X-Forged: 1");
        assertThat(new ConsentOrigin("api", " 10.0.0.1 ", "").remoteAddress()).isEqualTo("10.0.0.1");
        assertThat(new ConsentOrigin("api", null, " ").userAgent()).isNull();
        assertThat(new ConsentOrigin("api", "a".repeat(100), "\uD83D\uDE00".repeat(600)))
                .satisfies(o -> {
                    assertThat(o.remoteAddress()).hasSize(64);
                    assertThat(o.userAgent().codePointCount(0, o.userAgent().length())).isEqualTo(500);
                });
        assertThatThrownBy(() -> new ConsentOrigin("API", null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConsentOrigin(null, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ConsentOrigin.api("::1", "ua").channel()).isEqualTo("api");
    }
}
