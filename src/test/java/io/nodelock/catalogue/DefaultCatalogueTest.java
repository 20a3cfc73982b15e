package io.nodelock.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled {@code catalogue/catalogue.yml} parses and means what it says. */
class DefaultCatalogueTest {

    private static Catalogue catalogue;

    @BeforeAll
    static void load() throws Exception {
        try (Reader reader = new InputStreamReader(Objects.requireNonNull(
                DefaultCatalogueTest.class.getResourceAsStream("/catalogue/catalogue.yml")), StandardCharsets.UTF_8)) {
            catalogue = new CatalogueParser().parse("catalogue.yml", reader);
        }
    }

    @Test
    void hasRevisionAndContents() {
        assertThat(catalogue.revision()).isEqualTo("2026-12-01.2");
        assertThat(catalogue.format()).isEqualTo(1);
        assertThat(catalogue.products()).extracting(Product::id)
                .containsExactly("C1111-4P", "ISR4331/K9", "ISR4351/K9", "AIR-CT5520-K9", "C8300-1N1S-4T2X");
        // Catalyst 8300 devices belong to accounts by shipping or manufacturing record only (docs/devices.md).
        assertThat(catalogue.products()).filteredOn(Product::recordedOnly).extracting(Product::id).containsExactly("C8300-1N1S-4T2X");
        assertThat(catalogue.features()).extracting(Feature::name)
                .contains("ipbase", "ipservices", "advipservices", "adventerprise", "securityk9", "uck9", "datak9",
                        "ap-capacity");
        assertThat(catalogue.skus()).extracting(Sku::id).contains("FL-C1111-SEC-K9", "FL-ISR4300-SEC-K9",
                "FL-44-IPSRVC", "LIC-CT5520-25A", "LIC-CT5520-100A", "EVAL-ISR4300-SEC", "EXT-ISR4300-SEC",
                "SUB-ISR4300-AES-1Y");
        assertThat(catalogue.featureSet("universal-k9")).get().extracting(FeatureSet::levels)
                .isEqualTo(java.util.List.of("ipbase", "ipservices", "advipservices", "adventerprise"));
    }

    @Test
    void upgradesReplaceLowerLevelsOnTheSameProducts() {
        assertThat(catalogue.upgradesOf("SL-1100-AIS-K9", "C1111-4P")).extracting(Sku::id).containsExactly("SL-1100-AES-K9");
        assertThat(catalogue.sku("SL-1100-AES-K9").orElseThrow().features()).containsExactly("adventerprise");
        assertThat(catalogue.upgradesOf("SL-4330-AIS-K9", "ISR4331/K9")).extracting(Sku::id).containsExactly("SL-4300-AES-K9");
        assertThat(catalogue.upgradesOf("FL-44-IPSRVC", "ISR4351/K9")).extracting(Sku::id).containsExactly("SL-4300-AES-K9");
        // Counted capacity is not upgraded: a device adds up the counts of its lines (docs/migration.md).
        assertThat(catalogue.upgradesOf("LIC-CT5520-25A", "AIR-CT5520-K9")).isEmpty();
        assertThat(catalogue.conversionsOf("securityk9", "C1111-4P")).extracting(Sku::id).containsExactly("FL-C1111-SEC-K9");
        assertThat(catalogue.conversionsOf("advipservices", "C1111-4P")).extracting(Sku::id).containsExactly("SL-1100-AIS-K9");
    }

    @Test
    void permanentUncountedSku() {
        Sku sku = catalogue.sku("FL-ISR4300-SEC-K9").orElseThrow();
        assertThat(sku.type()).isEqualTo(LicenseKind.PERMANENT);
        assertThat(sku.features()).containsExactly("securityk9");
        assertThat(sku.counted()).isFalse();
        assertThat(sku.count()).isZero();
        assertThat(sku.usageDays()).isZero();
        assertThat(sku.termDays()).isZero();
        assertThat(sku.eulaRequired()).isFalse();
        assertThat(sku.productIds()).containsExactly("ISR4331/K9", "ISR4351/K9");
    }

    @Test
    void countedCapacitySkus() {
        assertThat(catalogue.sku("LIC-CT5520-25A")).get()
                .satisfies(s -> {
                    assertThat(s.counted()).isTrue();
                    assertThat(s.count()).isEqualTo(25);
                    assertThat(s.features()).containsExactly("ap-capacity");
                });
        assertThat(catalogue.sku("LIC-CT5520-100A").orElseThrow().count()).isEqualTo(100);
    }

    @Test
    void temporaryAndSubscriptionSkus() {
        Sku eval = catalogue.sku("EVAL-ISR4300-SEC").orElseThrow();
        assertThat(eval.type()).isEqualTo(LicenseKind.EVALUATION);
        assertThat(eval.usageDays()).isEqualTo(60);
        assertThat(eval.eulaRequired()).isTrue();
        Sku ext = catalogue.sku("EXT-ISR4300-SEC").orElseThrow();
        assertThat(ext.type()).isEqualTo(LicenseKind.EXTENSION);
        assertThat(ext.usageDays()).isEqualTo(60);
        Sku sub = catalogue.sku("SUB-ISR4300-AES-1Y").orElseThrow();
        assertThat(sub.type()).isEqualTo(LicenseKind.SUBSCRIPTION);
        assertThat(sub.termDays()).isEqualTo(365);
        assertThat(sub.usageDays()).isZero();
        assertThat(sub.eulaRequired()).isFalse();
    }

    @Test
    void effectiveFeaturesFollowTheHierarchy() {
        assertThat(catalogue.effectiveFeatures("ipbase")).containsExactly("ipbase");
        assertThat(catalogue.effectiveFeatures("advipservices"))
                .containsExactly("ipbase", "ipservices", "advipservices");
        assertThat(catalogue.effectiveFeatures("adventerprise"))
                .containsExactly("ipbase", "ipservices", "advipservices", "adventerprise");
        assertThat(catalogue.effectiveFeatures("securityk9")).containsExactly("securityk9");
        assertThat(catalogue.effectiveFeatures("no-such-feature")).isEmpty();
        assertThat(catalogue.effectiveFeatures(null)).isEmpty();

        assertThat(catalogue.includes("adventerprise", "ipservices")).isTrue();
        assertThat(catalogue.includes("ipservices", "ipservices")).isTrue();
        assertThat(catalogue.includes("ipservices", "advipservices")).isFalse();
        assertThat(catalogue.includes("adventerprise", "securityk9")).isFalse();
        assertThat(catalogue.includes("securityk9", "securityk9")).isTrue();

        FeatureSet universal = catalogue.featureSetOfLevel("ipservices").orElseThrow();
        assertThat(universal.name()).isEqualTo("universal-k9");
        assertThat(universal.includes("advipservices", "ipbase")).isTrue();
        assertThat(universal.includes("ipbase", "advipservices")).isFalse();
        assertThat(catalogue.featureSetOfLevel("securityk9")).isEmpty();
    }

    @Test
    void skuApplicabilityAndRmaSubstitutes() {
        assertThat(catalogue.skuAppliesTo("FL-ISR4300-SEC-K9", "ISR4351/K9")).isTrue();
        assertThat(catalogue.skuAppliesTo("FL-ISR4300-SEC-K9", "C1111-4P")).isFalse();
        assertThat(catalogue.skuAppliesTo("NO-SUCH-SKU", "C1111-4P")).isFalse();
        assertThat(catalogue.skuAppliesTo("FL-C1111-SEC-K9", "C1111-4P")).isTrue();

        assertThat(catalogue.isAllowedReplacement("ISR4331/K9", "ISR4331/K9")).isTrue();
        assertThat(catalogue.isAllowedReplacement("ISR4331/K9", "ISR4351/K9")).isTrue();
        assertThat(catalogue.isAllowedReplacement("ISR4351/K9", "ISR4331/K9")).isFalse(); // not symmetric
        assertThat(catalogue.isAllowedReplacement("ISR4331/K9", "C1111-4P")).isFalse();
        assertThat(catalogue.isAllowedReplacement("UNKNOWN", "UNKNOWN")).isFalse();
        assertThat(catalogue.product("ISR4331/K9").orElseThrow().featureSet()).isEqualTo("universal-k9");
        assertThat(catalogue.product("AIR-CT5520-K9").orElseThrow().featureSet()).isNull();
    }

    @Test
    void licenseKindWireNames() {
        assertThat(LicenseKind.EVALUATION.wireName()).isEqualTo("evaluation");
        assertThat(LicenseKind.fromWireName("subscription")).contains(LicenseKind.SUBSCRIPTION);
        assertThat(LicenseKind.fromWireName("Permanent")).isEmpty();
        assertThat(LicenseKind.EXTENSION.isTemporary()).isTrue();
        assertThat(LicenseKind.PERMANENT.isTemporary()).isFalse();
    }

    @Test
    void collectionsAreImmutable() {
        Sku sku = catalogue.sku("FL-ISR4300-SEC-K9").orElseThrow();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sku.productIds().add("X"))
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalogue.skus().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void selfServeEvaluations() {
        assertThat(catalogue.evaluations()).extracting(EvaluationOffer::feature)
                .containsExactly("advipservices", "securityk9", "uck9", "datak9");
        assertThat(catalogue.evaluationsFor("C1111-4P")).extracting(EvaluationOffer::feature)
                .containsExactly("advipservices", "securityk9");
        assertThat(catalogue.evaluationsFor("AIR-CT5520-K9")).isEmpty();
        assertThat(catalogue.evaluation("securityk9")).get().satisfies(e -> {
            assertThat(e.usageDays()).isEqualTo(60);
            assertThat(e.productIds()).containsExactly("C1111-4P", "ISR4331/K9", "ISR4351/K9");
        });
        assertThat(catalogue.evaluation("datak9").orElseThrow().usageDays()).isEqualTo(30);
    }

    @Test
    void eulaVersions() {
        assertThat(catalogue.eulas()).extracting(EulaText::version).containsExactly("2025-06", "2026-11");
        EulaText current = catalogue.currentEula().orElseThrow();
        assertThat(current.version()).isEqualTo("2026-11");
        assertThat(current.title()).isEqualTo("Nodelock End-User License Agreement");
        assertThat(current.text()).startsWith("NODELOCK END-USER LICENSE AGREEMENT").endsWith("accepted for them.\n")
                .doesNotContain("\r");
    }
}
