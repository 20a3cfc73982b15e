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
    /** Appended after BASE (from line 24 on): the EULA that evaluation SKUs and evaluations need. */
    private static final String EULAS = """
            eulas:
              current: "e-1"
              versions:
                - version: "e-1"
                  title: Test EULA
                  text: |
                    Terms.
            """;
    /** securityk9 (line 8) with an evaluation block, lines 10-12 (BASE's later lines move down by 3). */
    private static final String SECURITY = "  - name: securityk9\n    description: Security\n";

    private static String evaluation(String block) {
        return replace(SECURITY, SECURITY + block);
    }

    private final CatalogueParser parser = new CatalogueParser();

    /** A second security SKU (lines 24-29 after BASE) that upgrades what {@code upgradeOf} lists. */
    private static String upgrade(String upgradeOf) {
        return """
                  - id: FL-SEC-PLUS
                    description: Security plus
                    features: [securityk9]
                    type: permanent
                    products: [ISR4331/K9]
                    upgradeOf: %s
                """.formatted(upgradeOf);
    }

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
                c("empty file", "", "t.yml: the file is empty; expected keys format, revision, features, featureSets, products, skus, eulas"),
                c("root is a list", "- a\n- b\n",
                        "t.yml line 1: the file must be a mapping with keys format, revision, features, featureSets, products, skus, eulas, not a list"),
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
                        "t.yml line 24: unknown key 'pricing' (expected one of: format, revision, features, featureSets, products, skus, eulas)"),
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
                c("unknown registration", replace("    description: WLC\n", "    description: WLC\n    registration: sometimes\n"),
                        "t.yml line 18: product AIR-CT5520-K9: unknown registration 'sometimes' (expected one of: open, recorded)"),
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
                c("evaluation without usageDays", replace("type: permanent", "type: evaluation") + EULAS,
                        "t.yml line 19: sku FL-SEC: evaluation SKU needs 'usageDays' (days of use, e.g. 60)"),
                c("extension without usageDays", replace("type: permanent", "type: extension") + EULAS,
                        "t.yml line 19: sku FL-SEC: extension SKU needs 'usageDays' (days of use, e.g. 60)"),
                c("usageDays not positive", replace("type: permanent", "type: evaluation\n    usageDays: -5") + EULAS,
                        "t.yml line 23: sku FL-SEC: 'usageDays' must be greater than 0, not -5"),
                c("usageDays on permanent", replace("type: permanent", "type: permanent\n    usageDays: 60"),
                        "t.yml line 23: sku FL-SEC: 'usageDays' is only allowed for evaluation and extension SKUs, not permanent"),
                c("usageDays on subscription", replace("type: permanent", "type: subscription\n    termDays: 365\n    usageDays: 60"),
                        "t.yml line 24: sku FL-SEC: 'usageDays' is only allowed for evaluation and extension SKUs, not subscription"),
                c("subscription without termDays", replace("type: permanent", "type: subscription"),
                        "t.yml line 19: sku FL-SEC: subscription SKU needs 'termDays' (calendar days, e.g. 365)"),
                c("termDays zero", replace("type: permanent", "type: subscription\n    termDays: 0"),
                        "t.yml line 23: sku FL-SEC: 'termDays' must be greater than 0, not 0"),
                c("termDays on evaluation", replace("type: permanent", "type: evaluation\n    usageDays: 60\n    termDays: 30") + EULAS,
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
                // --- self-serve evaluations (a feature's evaluation block; securityk9's is at lines 10-12)
                c("evaluation for an unknown product", evaluation("    evaluation:\n      usageDays: 60\n      products: [ISR4331/K9, ISR4351/K9]\n") + EULAS,
                        "t.yml line 12, column 30: feature securityk9: evaluation: unknown product 'ISR4351/K9' (did you mean 'ISR4331/K9'?)"),
                c("evaluation without usageDays", evaluation("    evaluation:\n      products: [ISR4331/K9]\n") + EULAS,
                        "t.yml line 11: feature securityk9: missing required key 'usageDays'"),
                c("evaluation of zero days", evaluation("    evaluation:\n      usageDays: 0\n      products: [ISR4331/K9]\n") + EULAS,
                        "t.yml line 11: feature securityk9: 'usageDays' must be greater than 0, not 0"),
                c("evaluation with products empty", evaluation("    evaluation:\n      usageDays: 60\n      products: []\n") + EULAS,
                        "t.yml line 12: feature securityk9: 'products' must not be empty"),
                c("evaluation with an unknown key", evaluation("    evaluation:\n      usageDays: 60\n      termDays: 60\n      products: [ISR4331/K9]\n") + EULAS,
                        "t.yml line 12: feature securityk9: unknown key 'termDays' (expected one of: usageDays, products)"),
                c("evaluation not a mapping", evaluation("    evaluation: yes\n") + EULAS,
                        "t.yml line 10: feature securityk9: 'evaluation' must be a mapping, not 'yes'"),
                c("evaluation of a level on a product without its feature set",
                        replace("    description: IP Services\n", "    description: IP Services\n    evaluation:\n      usageDays: 60\n      products: [ISR4331/K9, AIR-CT5520-K9]\n") + EULAS,
                        "t.yml line 10, column 30: feature ipservices: evaluation: feature 'ipservices' is a level of feature set 'universal-k9' but product AIR-CT5520-K9 uses no feature set"),

                // --- EULAs (appended after BASE: eulas at line 24, its first version at line 27)
                c("evaluation SKU without eulas", replace("type: permanent", "type: evaluation\n    usageDays: 60"),
                        "t.yml line 22: sku FL-SEC: needs the EULA accepted, but the catalogue has no 'eulas' (the EULA texts customers accept; see docs/catalogue.md); or set 'eulaRequired: false'"),
                c("eulaRequired without eulas", replace("type: permanent", "type: permanent\n    eulaRequired: true"),
                        "t.yml line 23: sku FL-SEC: needs the EULA accepted, but the catalogue has no 'eulas' (the EULA texts customers accept; see docs/catalogue.md); or set 'eulaRequired: false'"),
                c("evaluation without eulas", evaluation("    evaluation:\n      usageDays: 60\n      products: [ISR4331/K9]\n"),
                        "t.yml line 11: feature securityk9: an evaluation needs the EULA accepted, but the catalogue has no 'eulas' (the EULA texts customers accept; see docs/catalogue.md)"),
                c("current EULA not listed", BASE + EULAS.replace("current: \"e-1\"", "current: \"e-2\""),
                        "t.yml line 25: eulas: current version 'e-2' is not listed in 'versions' (did you mean 'e-1'?)"),
                c("EULA version listed twice", BASE + EULAS + "    - version: \"e-1\"\n      title: Again\n      text: More terms.\n",
                        "t.yml line 31: duplicate EULA version 'e-1' (first defined at line 27)"),
                c("invalid EULA version", BASE + EULAS.replace("- version: \"e-1\"", "- version: \"e 1\""),
                        "t.yml line 27: invalid EULA version 'e 1': a EULA version must be 1-32 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit (quote it, e.g. \"2026-11\")"),
                c("EULA version not text", BASE + EULAS.replace("- version: \"e-1\"", "- version: 2026.11").replace("current: \"e-1\"", "current: \"2026.11\""),
                        "t.yml line 27: EULA 2026.11: 'version' must be text, not '2026.11'"),
                c("EULA without text", BASE + EULAS.replace("      text: |\n        Terms.\n", ""),
                        "t.yml line 27: EULA e-1: missing required key 'text'"),
                c("blank EULA text", BASE + EULAS.replace("      text: |\n        Terms.\n", "      text: \"  \"\n"),
                        "t.yml line 29: EULA e-1: 'text' must not be blank"),
                c("EULA title on two lines", BASE + EULAS.replace("title: Test EULA", "title: \"Test\\nEULA\""),
                        "t.yml line 28: EULA e-1: 'title' must be a single line of text"),
                c("unknown key in a EULA", BASE + EULAS.replace("title: Test EULA", "title: Test EULA\n      file: eula.txt"),
                        "t.yml line 29: EULA e-1: unknown key 'file' (expected one of: version, title, text)"),
                c("eulas without versions", BASE + "eulas:\n  current: \"e-1\"\n  versions: []\n",
                        "t.yml line 26: 'versions' must not be empty"),
                c("eulas not a mapping", replace("type: permanent", "type: evaluation\n    usageDays: 60") + "eulas: [e-1]\n",
                        "t.yml line 25: 'eulas' must be a mapping, not a list"),

                // --- upgrades (license migration): an SKU appended at lines 24-29, its upgradeOf on line 29
                c("upgrade of an unknown SKU", BASE + upgrade("[FL-SECC]"),
                        "t.yml line 29, column 17: sku FL-SEC-PLUS: upgradeOf: unknown SKU 'FL-SECC' (did you mean 'FL-SEC'?)"),
                c("upgrade of itself", BASE + upgrade("[FL-SEC-PLUS]"),
                        "t.yml line 29, column 17: sku FL-SEC-PLUS: a SKU cannot be an upgrade of itself"),
                c("upgrade for other products", BASE + upgrade("[FL-SEC]").replace("products: [ISR4331/K9]", "products: [AIR-CT5520-K9]"),
                        "t.yml line 29, column 17: sku FL-SEC-PLUS: upgradeOf: SKU 'FL-SEC' is sold for ISR4331/K9, none of this SKU's "
                                + "products (AIR-CT5520-K9): no device could be upgraded from it"),
                c("upgraded SKU listed twice", BASE + upgrade("[FL-SEC, FL-SEC]"),
                        "t.yml line 29, column 25: sku FL-SEC-PLUS: upgraded SKU 'FL-SEC' is listed twice"),
                c("upgradeOf empty", BASE + upgrade("[]"), "t.yml line 29: sku FL-SEC-PLUS: 'upgradeOf' must not be empty"),
                c("upgrade cycle", replace("    products: [ISR4331/K9]\n", "    products: [ISR4331/K9]\n    upgradeOf: [FL-SEC-PLUS]\n")
                                + upgrade("[FL-SEC]"),
                        "t.yml line 30, column 17: sku FL-SEC-PLUS: upgradeOf makes a cycle (FL-SEC-PLUS -> FL-SEC -> FL-SEC-PLUS): a "
                                + "license could be upgraded round and round"),
                c("evaluation as an upgrade", BASE + upgrade("[FL-SEC]").replace("    type: permanent\n    products: [ISR4331/K9]\n    upgradeOf",
                                "    type: evaluation\n    usageDays: 60\n    products: [ISR4331/K9]\n    upgradeOf") + EULAS,
                        "t.yml line 30: sku FL-SEC-PLUS: an evaluation SKU cannot be an upgrade: 'upgradeOf' is for permanent and subscription SKUs"),

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
    void upgradesAndConversionsAreOfferedPerProduct() {
        Catalogue catalogue = parser.parse("t.yml", BASE
                + upgrade("[FL-SEC]") + "  - id: FL-SEC-TOP\n    description: Top\n    features: [securityk9]\n    type: permanent\n"
                + "    products: [ISR4331/K9]\n    upgradeOf: [FL-SEC, FL-SEC-PLUS]\n");
        assertThat(catalogue.sku("FL-SEC-PLUS").orElseThrow().upgradeOf()).containsExactly("FL-SEC");
        assertThat(catalogue.sku("FL-SEC").orElseThrow().upgradeOf()).isEmpty();
        assertThat(catalogue.upgradesOf("FL-SEC", "ISR4331/K9")).extracting(Sku::id).containsExactly("FL-SEC-PLUS", "FL-SEC-TOP");
        assertThat(catalogue.upgradesOf("FL-SEC-PLUS", "ISR4331/K9")).extracting(Sku::id).containsExactly("FL-SEC-TOP");
        assertThat(catalogue.upgradesOf("FL-SEC", "AIR-CT5520-K9")).isEmpty();
        assertThat(catalogue.upgradesOf(null, "ISR4331/K9")).isEmpty();
        assertThat(catalogue.conversionsOf("securityk9", "ISR4331/K9")).extracting(Sku::id)
                .containsExactly("FL-SEC", "FL-SEC-PLUS", "FL-SEC-TOP");
        assertThat(catalogue.conversionsOf("ipbase", "ISR4331/K9")).isEmpty();
    }

    @Test
    void eulaDefaultsPerTypeAndCanBeOverridden() {
        assertThat(parser.parse("t.yml", replace("type: permanent", "type: evaluation\n    usageDays: 60") + EULAS)
                .sku("FL-SEC").orElseThrow().eulaRequired()).isTrue();
        assertThat(parser.parse("t.yml", replace("type: permanent", "type: extension\n    usageDays: 30") + EULAS)
                .sku("FL-SEC").orElseThrow().eulaRequired()).isTrue();
        assertThat(parser.parse("t.yml", replace("type: permanent", "type: subscription\n    termDays: 365"))
                .sku("FL-SEC").orElseThrow().eulaRequired()).isFalse();
        assertThat(parser.parse("t.yml", BASE).sku("FL-SEC").orElseThrow().eulaRequired()).isFalse();
        assertThat(parser.parse("t.yml", replace("type: permanent", "type: evaluation\n    usageDays: 60\n    eulaRequired: false"))
                .sku("FL-SEC").orElseThrow().eulaRequired()).isFalse();
        assertThat(parser.parse("t.yml", replace("type: permanent", "type: permanent\n    eulaRequired: true") + EULAS)
                .sku("FL-SEC").orElseThrow().eulaRequired()).isTrue();
    }

    @Test
    void evaluationsAndEulasAreReadAsWritten() {
        Catalogue catalogue = parser.parse("t.yml", evaluation("    evaluation:\n      usageDays: 45\n      products: [ISR4331/K9]\n")
                + EULAS + "    - version: \"2026-11\"\n      title: \"  Later terms \"\n      text: |\n        Line one.\n          indented\n\n        Last line.\n"
                + "    - version: V.2_b\n      title: Folded\n      text: >-\n        one\n        two\n");
        assertThat(catalogue.evaluation("securityk9")).get().satisfies(e -> {
            assertThat(e.usageDays()).isEqualTo(45);
            assertThat(e.productIds()).containsExactly("ISR4331/K9");
            assertThat(e.appliesTo("AIR-CT5520-K9")).isFalse();
        });
        assertThat(catalogue.evaluation("ipbase")).isEmpty();
        assertThat(catalogue.evaluationsFor("ISR4331/K9")).extracting(EvaluationOffer::feature).containsExactly("securityk9");
        assertThat(catalogue.evaluationsFor("AIR-CT5520-K9")).isEmpty();
        assertThat(catalogue.currentEula()).get().extracting(EulaText::version).isEqualTo("e-1");
        assertThat(catalogue.eulas()).extracting(EulaText::version).containsExactly("e-1", "2026-11", "V.2_b");
        // the text exactly as YAML reads it (a literal block keeps its lines and one final newline); the title stripped
        assertThat(catalogue.eula("2026-11")).get().satisfies(e -> {
            assertThat(e.title()).isEqualTo("Later terms");
            assertThat(e.text()).isEqualTo("Line one.\n  indented\n\nLast line.\n");
        });
        assertThat(catalogue.eula("V.2_b").orElseThrow().text()).isEqualTo("one two");
        assertThat(catalogue.eula("nope")).isEmpty();
    }

    @Test
    void aCatalogueThatNeedsNoEulaMayHaveNone() {
        Catalogue catalogue = parser.parse("t.yml", BASE);
        assertThat(catalogue.eulas()).isEmpty();
        assertThat(catalogue.currentEula()).isEmpty();
        assertThat(catalogue.evaluations()).isEmpty();
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
                            "many-errors.yml line 56: sku FL-ISR4300-SEC-K9: 'products' must not be empty",
                            "many-errors.yml line 58: eulas: current version '2026-12' is not listed in 'versions' (did you mean '2026-11'?)",
                            "many-errors.yml line 64: EULA 2026-11: missing required key 'text'",
                            "many-errors.yml line 64: duplicate EULA version '2026-11' (first defined at line 60)",
                            "many-errors.yml line 65: EULA 2026-11: 'title' must be a single line of text",
                            "many-errors.yml line 66: EULA 2026-11: unknown key 'txt' (did you mean 'text'?)"));
        }
    }
}
