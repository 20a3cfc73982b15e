package io.nodelock.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every validation rule, with the exact line-numbered message the operator sees. */
class CatalogueValidationTest {

    // Line numbers matter: HEAD is lines 1-18, the SKU entry is lines 19-23, anything appended starts at line 24.
    private static final String HEAD = """
            format: 1
            revision: "t-1"
            features:
              - name: ipbase
                description: IP Base
              - name: ipservices
                description: IP Services
              - name: securityk9
                description: Security
            featureSets:
              universal-k9: [ipbase, ipservices]
            products:
              - id: ISR4331/K9
                description: ISR 4331
                featureSet: universal-k9
              - id: AIR-CT5520-K9
                description: WLC
            skus:
            """;
    private static final String SKU = """
              - id: FL-SEC
                description: Security
                features: [securityk9]
                type: permanent
                products: [ISR4331/K9]
            """;
    private static final String BASE = HEAD + SKU;

    private final CatalogueParser parser = new CatalogueParser();

    private static String replace(String target, String replacement) {
        if (!BASE.contains(target)) {
            throw new IllegalArgumentException("not in BASE: " + target);
        }
        return BASE.replace(target, replacement);
    }

    private static Arguments c(String name, String yaml, String... expected) {
        return Arguments.of(name, yaml, List.of(expected));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // --- file level
                c("empty file", "", "t.yml: the file is empty; expected keys format, revision, features, featureSets, products, skus"),
                c("root is a list", "- a\n- b\n",
                        "t.yml line 1: the file must be a mapping with keys format, revision, features, featureSets, products, skus, not a list"),
                c("YAML syntax error", BASE.replace("    type: permanent\n", "    type: [permanent\n"),
                        "t.yml line 23, column 13: not valid YAML: while parsing a flow sequence: expected ',' or ']', but got :"),
                c("unsupported format", replace("format: 1", "format: 2"),
                        "t.yml line 1: unsupported format 2 (this version of Nodelock reads format 1)"),
                c("format not a number", replace("format: 1", "format: one"),
                        "t.yml line 1: 'format' must be a whole number, not text 'one'"),
                c("missing revision", replace("revision: \"t-1\"\n", ""),
                        "t.yml line 1: missing required key 'revision'"),
                c("blank revision", replace("revision: \"t-1\"", "revision: \" \""),
                        "t.yml line 2: 'revision' must not be blank"),
                c("revision as a list", replace("revision: \"t-1\"", "revision: [a]"),
                        "t.yml line 2: 'revision' must be text, not a list"),
                c("unknown top-level key with suggestion", BASE + "featuresets: {}\n",
                        "t.yml line 24: unknown key 'featuresets' (did you mean 'featureSets'?)"),
                c("unknown top-level key without suggestion", BASE + "pricing: {}\n",
                        "t.yml line 24: unknown key 'pricing' (expected one of: format, revision, features, featureSets, products, skus)"),
                c("duplicate top-level key", BASE + "format: 1\n",
                        "t.yml line 24: duplicate key 'format' (first at line 1)"),
                c("empty skus", HEAD.replace("skus:\n", "skus: []\n"), "t.yml line 18: 'skus' must not be empty"),
                c("missing skus", HEAD.replace("skus:\n", ""), "t.yml line 1: missing required key 'skus'"),
                c("skus not a list", HEAD.replace("skus:\n", "skus: FL-SEC\n"),
                        "t.yml line 18: 'skus' must be a list of entries (lines starting with '- '), not 'FL-SEC'"),

                // --- features
                c("duplicate feature", replace("  - name: securityk9\n", "  - name: ipbase\n    description: again\n  - name: securityk9\n"),
                        "t.yml line 8: duplicate feature 'ipbase' (first defined at line 4)"),
                c("invalid feature name", replace("  - name: securityk9\n", "  - name: Sec K9\n    description: x\n  - name: securityk9\n"),
                        "t.yml line 8: invalid feature name 'Sec K9': a feature name must be 1-64 characters of a-z 0-9 _ -, starting with a letter or digit"),
                c("feature without description", replace("  - name: securityk9\n    description: Security\n", "  - name: securityk9\n"),
                        "t.yml line 8: feature securityk9: missing required key 'description'"),
                c("feature entry not a mapping", replace("  - name: securityk9\n    description: Security\n", "  - securityk9\n  - name: securityk9\n    description: Security\n"),
                        "t.yml line 8: each entry of 'features' must be a mapping of keys, not 'securityk9'"),

                // --- feature sets
                c("level listed twice", replace("[ipbase, ipservices]", "[ipbase, ipservices, ipbase]"),
                        "t.yml line 11, column 38: feature set universal-k9: level 'ipbase' is listed twice"),
                c("unknown level", replace("[ipbase, ipservices]", "[ipbase, ipsrvices]"),
                        "t.yml line 11, column 26: feature set universal-k9: unknown feature 'ipsrvices' (did you mean 'ipservices'?)"),
                c("level in two feature sets", replace("  universal-k9: [ipbase, ipservices]\n", "  universal-k9: [ipbase, ipservices]\n  other: [ipbase]\n"),
                        "t.yml line 12, column 11: feature set other: feature 'ipbase' is already a level of feature set 'universal-k9' (line 11); a feature can be a level of only one set"),
                c("empty feature set", replace("  universal-k9: [ipbase, ipservices]\n", "  universal-k9: [ipbase, ipservices]\n  other: []\n"),
                        "t.yml line 12: feature set other: the levels must not be empty"),
                c("duplicate feature set", replace("  universal-k9: [ipbase, ipservices]\n", "  universal-k9: [ipbase, ipservices]\n  universal-k9: [ipbase]\n"),
                        "t.yml line 12: duplicate feature set 'universal-k9' (first defined at line 11)"),
                c("featureSets not a mapping", replace("  universal-k9: [ipbase, ipservices]\n", "  - universal-k9\n"),
                        "t.yml line 11: 'featureSets' must be a mapping of set name to list of levels, e.g. universal-k9: [ipbase, ipservices], not a list",
                        "t.yml line 15: product ISR4331/K9: unknown feature set 'universal-k9' (none are defined)"),

                // --- products
                c("invalid PID", replace("  - id: AIR-CT5520-K9", "  - id: air-ct5520-k9"),
                        "t.yml line 16: invalid product id 'air-ct5520-k9': a product ID (PID) must be 1-18 characters of A-Z 0-9 - / + = ., starting with a letter or digit"),
                c("PID too long", replace("  - id: AIR-CT5520-K9", "  - id: AIR-CT5520-K9-ABCDEF"),
                        "t.yml line 16: invalid product id 'AIR-CT5520-K9-ABCDEF': a product ID (PID) must be 1-18 characters of A-Z 0-9 - / + = ., starting with a letter or digit"),
                c("duplicate product", replace("  - id: AIR-CT5520-K9", "  - id: ISR4331/K9"),
                        "t.yml line 16: duplicate product 'ISR4331/K9' (first defined at line 13)"),
                c("unknown feature set on product", replace("    featureSet: universal-k9", "    featureSet: universal"),
                        "t.yml line 15: product ISR4331/K9: unknown feature set 'universal' (did you mean 'universal-k9'?)"),
                c("unknown substitute", replace("    description: WLC\n", "    description: WLC\n    substitutes: [C9800-40-K9]\n"),
                        "t.yml line 18, column 19: product AIR-CT5520-K9: unknown substitute product 'C9800-40-K9' (known: ISR4331/K9, AIR-CT5520-K9)"),
                c("self substitute", replace("    description: WLC\n", "    description: WLC\n    substitutes: [AIR-CT5520-K9]\n"),
                        "t.yml line 18, column 19: product AIR-CT5520-K9: a product cannot list itself as a substitute (the same PID is always an allowed replacement)"),
                c("substitute listed twice", replace("    description: WLC\n", "    description: WLC\n    substitutes: [ISR4331/K9, ISR4331/K9]\n"),
                        "t.yml line 18, column 31: product AIR-CT5520-K9: substitute 'ISR4331/K9' is listed twice"),
                c("product without description", replace("    description: WLC\n", ""),
                        "t.yml line 16: product AIR-CT5520-K9: missing required key 'description'"),
                c("blank description", replace("    description: WLC\n", "    description: \"\"\n"),
                        "t.yml line 17: product AIR-CT5520-K9: 'description' must not be blank"),

                // --- SKUs: shape
                c("invalid SKU id", replace("  - id: FL-SEC", "  - id: fl-sec"),
                        "t.yml line 19: invalid sku id 'fl-sec': a SKU id must be 1-40 characters of A-Z 0-9 - / + = ., starting with a letter or digit"),
                c("SKU id too long", replace("  - id: FL-SEC", "  - id: FL-SEC-" + "X".repeat(34)),
                        "t.yml line 19: invalid sku id 'FL-SEC-" + "X".repeat(34) + "': a SKU id must be 1-40 characters of A-Z 0-9 - / + = ., starting with a letter or digit"),
                c("duplicate SKU", BASE + SKU,
                        "t.yml line 24: duplicate sku 'FL-SEC' (first defined at line 19)"),
                c("missing SKU id", replace("  - id: FL-SEC\n    description", "  - description"),
                        "t.yml line 19: sku at line 19: missing required key 'id'"),
                c("missing type", replace("    type: permanent\n", ""),
                        "t.yml line 19: sku FL-SEC: missing required key 'type'"),
                c("unknown type", replace("type: permanent", "type: perpetual"),
                        "t.yml line 22: sku FL-SEC: unknown type 'perpetual' (expected one of: permanent, evaluation, extension, subscription)"),
                c("misspelt type", replace("type: permanent", "type: permanant"),
                        "t.yml line 22: sku FL-SEC: unknown type 'permanant' (did you mean 'permanent'?)"),
                c("unknown SKU key", replace("    type: permanent\n", "    type: permanent\n    usage_days: 60\n"),
                        "t.yml line 23: sku FL-SEC: unknown key 'usage_days' (did you mean 'usageDays'?)"),
                c("duplicate SKU key", replace("    type: permanent\n", "    type: permanent\n    type: evaluation\n"),
                        "t.yml line 23: sku FL-SEC: duplicate key 'type' (first at line 22)"),
                c("features not a list", replace("features: [securityk9]", "features: securityk9"),
                        "t.yml line 21: sku FL-SEC: 'features' must be a list, e.g. [securityk9]"),
                c("features empty", replace("features: [securityk9]", "features: []"),
                        "t.yml line 21: sku FL-SEC: 'features' must not be empty"),
                c("missing features", replace("    features: [securityk9]\n", ""),
                        "t.yml line 19: sku FL-SEC: missing required key 'features'"),
                c("unknown feature", replace("features: [securityk9]", "features: [securityk9, ipsrvices]"),
                        "t.yml line 21, column 28: sku FL-SEC: unknown feature 'ipsrvices' (did you mean 'ipservices'?)"),
                c("unknown feature without suggestion", replace("features: [securityk9]", "features: [voice]"),
                        "t.yml line 21, column 16: sku FL-SEC: unknown feature 'voice' (known: ipbase, ipservices, securityk9)"),
                c("feature listed twice", replace("features: [securityk9]", "features: [securityk9, securityk9]"),
                        "t.yml line 21, column 28: sku FL-SEC: feature 'securityk9' is listed twice"),
                c("unknown product (block list)", replace("    products: [ISR4331/K9]\n", "    products:\n      - ISR4331/K9\n      - ISR4351/K9\n"),
                        "t.yml line 25: sku FL-SEC: unknown product 'ISR4351/K9' (did you mean 'ISR4331/K9'?)"),
                c("products empty", replace("products: [ISR4331/K9]", "products: []"),
                        "t.yml line 23: sku FL-SEC: 'products' must not be empty"),
                c("products missing", replace("    products: [ISR4331/K9]\n", ""),
                        "t.yml line 19: sku FL-SEC: missing required key 'products'"),
                c("level feature on a product without that feature set", replace("features: [securityk9]\n    type: permanent\n    products: [ISR4331/K9]", "features: [ipservices]\n    type: permanent\n    products: [ISR4331/K9, AIR-CT5520-K9]"),
                        "t.yml line 23, column 28: sku FL-SEC: feature 'ipservices' is a level of feature set 'universal-k9' but product AIR-CT5520-K9 uses no feature set"),

                // --- SKUs: counted
                c("counted without count", replace("    type: permanent\n", "    type: permanent\n    counted: true\n"),
                        "t.yml line 19: sku FL-SEC: counted SKU needs 'count' (the capacity it grants, e.g. 25 access points)"),
                c("count without counted", replace("    type: permanent\n", "    type: permanent\n    count: 25\n"),
                        "t.yml line 23: sku FL-SEC: 'count' is only allowed when 'counted: true'"),
                c("count zero", replace("    type: permanent\n", "    type: permanent\n    counted: true\n    count: 0\n"),
                        "t.yml line 24: sku FL-SEC: 'count' must be greater than 0, not 0"),
                c("count not a number", replace("    type: permanent\n", "    type: permanent\n    counted: true\n    count: \"25\"\n"),
                        "t.yml line 24: sku FL-SEC: 'count' must be a whole number, not text '25'"),
                c("count too large", replace("    type: permanent\n", "    type: permanent\n    counted: true\n    count: 9999999999\n"),
                        "t.yml line 24: sku FL-SEC: 'count' is too large: 9999999999"),
                c("counted not a boolean", replace("    type: permanent\n", "    type: permanent\n    counted: \"yes\"\n"),
                        "t.yml line 23: sku FL-SEC: 'counted' must be true or false, not text 'yes'"),

                // --- SKUs: periods
                c("evaluation without usageDays", replace("type: permanent", "type: evaluation"),
                        "t.yml line 19: sku FL-SEC: evaluation SKU needs 'usageDays' (days of use, e.g. 60)"),
                c("extension without usageDays", replace("type: permanent", "type: extension"),
                        "t.yml line 19: sku FL-SEC: extension SKU needs 'usageDays' (days of use, e.g. 60)"),
                c("usageDays not positive", replace("type: permanent", "type: evaluation\n    usageDays: -5"),
                        "t.yml line 23: sku FL-SEC: 'usageDays' must be greater than 0, not -5"),
                c("usageDays on permanent", replace("type: permanent", "type: permanent\n    usageDays: 60"),
                        "t.yml line 23: sku FL-SEC: 'usageDays' is only allowed for evaluation and extension SKUs, not permanent"),
                c("usageDays on subscription", replace("type: permanent", "type: subscription\n    termDays: 365\n    usageDays: 60"),
                        "t.yml line 24: sku FL-SEC: 'usageDays' is only allowed for evaluation and extension SKUs, not subscription"),
                c("subscription without termDays", replace("type: permanent", "type: subscription"),
                        "t.yml line 19: sku FL-SEC: subscription SKU needs 'termDays' (calendar days, e.g. 365)"),
                c("termDays zero", replace("type: permanent", "type: subscription\n    termDays: 0"),
                        "t.yml line 23: sku FL-SEC: 'termDays' must be greater than 0, not 0"),
                c("termDays on evaluation", replace("type: permanent", "type: evaluation\n    usageDays: 60\n    termDays: 30"),
                        "t.yml line 24: sku FL-SEC: 'termDays' is only allowed for subscription SKUs, not evaluation"),
                c("eulaRequired not a boolean", replace("type: permanent", "type: permanent\n    eulaRequired: sometimes"),
                        "t.yml line 23: sku FL-SEC: 'eulaRequired' must be true or false, not text 'sometimes'"),

                // --- rules first stated by the schema, and what the location-tracking reader refuses
                c("revision on two lines", replace("revision: \"t-1\"", "revision: \"t-1\\nt-2\""),
                        "t.yml line 2: 'revision' must be a single line of text"),
                c("revision too long", replace("revision: \"t-1\"", "revision: \"" + "r".repeat(65) + "\""),
                        "t.yml line 2: 'revision' is longer than 64 characters"),
                c("invalid feature set name", replace("  universal-k9: [ipbase, ipservices]\n", "  universal-k9: [ipbase, ipservices]\n  Other: [securityk9]\n"),
                        "t.yml line 12: invalid feature set name 'Other': 1-64 characters of a-z 0-9 _ -, starting with a letter or digit"),
                c("level not a name", replace("[ipbase, ipservices]", "[ipbase, [ipservices]]"),
                        "t.yml line 11, column 26: feature set universal-k9: each item of the levels must be a name, not a list"),
                c("description without value", replace("    description: WLC\n", "    description:\n"),
                        "t.yml line 17: product AIR-CT5520-K9: 'description' has no value"),
                c("YAML alias", replace("    description: WLC\n", "    description: *wlc\n"),
                        "t.yml line 17: YAML aliases (*wlc) are not supported in the catalogue; write the value out"),
                c("SKU entry not a mapping, later entries still checked", BASE.replace("skus:\n", "skus:\n  - FL-OLD\n").replace("products: [ISR4331/K9]", "products: [ISR4351/K9]"),
                        "t.yml line 19: each entry of 'skus' must be a mapping of keys, not 'FL-OLD'",
                        "t.yml line 24, column 16: sku FL-SEC: unknown product 'ISR4351/K9' (did you mean 'ISR4331/K9'?)")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheRuleWithItsLine(String name, String yaml, List<String> expected) {
        CatalogueException e = catchThrowableOfType(CatalogueException.class, () -> parser.parse("t.yml", yaml));
        assertThat(e).as("expected a CatalogueException").isNotNull();
        assertThat(e.errors()).containsExactlyElementsOf(expected);
        assertThat(e.getMessage()).isEqualTo(String.join("\n", expected));
    }

    @Test
    void baseIsValid() {
        Catalogue catalogue = parser.parse("t.yml", BASE);
        assertThat(catalogue.revision()).isEqualTo("t-1");
        assertThat(catalogue.sku("FL-SEC")).isPresent();
    }

    @Test
    void eulaDefaultsPerTypeAndCanBeOverridden() {
        assertThat(parser.parse("t.yml", replace("type: permanent", "type: evaluation\n    usageDays: 60"))
                .sku("FL-SEC").orElseThrow().eulaRequired()).isTrue();
        assertThat(parser.parse("t.yml", replace("type: permanent", "type: extension\n    usageDays: 30"))
                .sku("FL-SEC").orElseThrow().eulaRequired()).isTrue();
        assertThat(parser.parse("t.yml", replace("type: permanent", "type: subscription\n    termDays: 365"))
                .sku("FL-SEC").orElseThrow().eulaRequired()).isFalse();
        assertThat(parser.parse("t.yml", BASE).sku("FL-SEC").orElseThrow().eulaRequired()).isFalse();
        assertThat(parser.parse("t.yml", replace("type: permanent", "type: evaluation\n    usageDays: 60\n    eulaRequired: false"))
                .sku("FL-SEC").orElseThrow().eulaRequired()).isFalse();
        assertThat(parser.parse("t.yml", replace("type: permanent", "type: permanent\n    eulaRequired: true"))
                .sku("FL-SEC").orElseThrow().eulaRequired()).isTrue();
    }

    @Test
    void numericRevisionAndDescriptionAreKeptAsWritten() {
        Catalogue catalogue = parser.parse("t.yml", replace("revision: \"t-1\"", "revision: 2026.10")
                .replace("description: WLC", "description: 5520"));
        assertThat(catalogue.revision()).isEqualTo("2026.10");
        assertThat(catalogue.product("AIR-CT5520-K9").orElseThrow().description()).isEqualTo("5520");
    }

    @Test
    void unquotedDateRevisionIsKeptAsWritten() {
        assertThat(parser.parse("t.yml", replace("revision: \"t-1\"", "revision: 2026-11-28")).revision())
                .isEqualTo("2026-11-28");
    }

    @Test
    void manyMistakesAreAllReportedInFileOrderWithTheirLines() throws Exception {
        try (Reader reader = new InputStreamReader(Objects.requireNonNull(
                getClass().getResourceAsStream("/catalogue/many-errors.yml")), StandardCharsets.UTF_8)) {
            assertThatThrownBy(() -> parser.parse("many-errors.yml", reader))
                    .isInstanceOfSatisfying(CatalogueException.class, e -> assertThat(e.errors()).containsExactly(
                            "many-errors.yml line 1: unsupported format 2 (this version of Nodelock reads format 1)",
                            "many-errors.yml line 3: unknown key 'featuers' (did you mean 'features'?)",
                            "many-errors.yml line 9: duplicate feature 'ipbase' (first defined at line 5)",
                            "many-errors.yml line 11: invalid feature name 'Bad_Name': a feature name must be 1-64 characters of a-z 0-9 _ -, starting with a letter or digit",
                            "many-errors.yml line 13: feature securityk9: missing required key 'description'",
                            "many-errors.yml line 15, column 38: feature set universal-k9: level 'ipbase' is listed twice",
                            "many-errors.yml line 15, column 46: feature set universal-k9: unknown feature 'ipsrvices' (did you mean 'ipservices'?)",
                            "many-errors.yml line 19: product ISR4331/K9: unknown feature set 'universal' (did you mean 'universal-k9'?)",
                            "many-errors.yml line 20, column 19: product ISR4331/K9: a product cannot list itself as a substitute (the same PID is always an allowed replacement)",
                            "many-errors.yml line 20, column 31: product ISR4331/K9: unknown substitute product 'ISR4451/K9' (did you mean 'ISR4331/K9'?)",
                            "many-errors.yml line 21: invalid product id 'isr4351/k9': a product ID (PID) must be 1-18 characters of A-Z 0-9 - / + = ., starting with a letter or digit",
                            "many-errors.yml line 23: duplicate product 'ISR4331/K9' (first defined at line 17)",
                            "many-errors.yml line 28, column 28: sku FL-ISR4300-SEC-K9: unknown feature 'ipsrvices' (did you mean 'ipservices'?)",
                            "many-errors.yml line 30: sku FL-ISR4300-SEC-K9: 'usageDays' is only allowed for evaluation and extension SKUs, not permanent",
                            "many-errors.yml line 31, column 28: sku FL-ISR4300-SEC-K9: unknown product 'ISR4351/K9' (did you mean 'ISR4331/K9'?)",
                            "many-errors.yml line 32: sku EVAL-ISR4300-SEC: evaluation SKU needs 'usageDays' (days of use, e.g. 60)",
                            "many-errors.yml line 37: sku LIC-CT5520-25A: counted SKU needs 'count' (the capacity it grants, e.g. 25 access points)",
                            "many-errors.yml line 45: sku SUB-1Y: 'features' must not be empty",
                            "many-errors.yml line 46: sku SUB-1Y: unknown type 'subscripton' (did you mean 'subscription'?)",
                            "many-errors.yml line 47: sku SUB-1Y: 'termDays' must be greater than 0, not 0",
                            "many-errors.yml line 48: sku SUB-1Y: unknown key 'eulaRequred' (did you mean 'eulaRequired'?)",
                            "many-errors.yml line 49: sku SUB-1Y: 'products' must be a list, e.g. [ISR4331/K9]",
                            "many-errors.yml line 50: duplicate sku 'FL-ISR4300-SEC-K9' (first defined at line 26)",
                            "many-errors.yml line 54: sku FL-ISR4300-SEC-K9: 'count' is only allowed when 'counted: true'",
                            "many-errors.yml line 56: sku FL-ISR4300-SEC-K9: 'products' must not be empty"));
        }
    }
}
