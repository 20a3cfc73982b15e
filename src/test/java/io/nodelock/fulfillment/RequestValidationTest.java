package io.nodelock.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodelock.workflow.Refusal.FieldError;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.catalogue.CatalogueParser;
import io.nodelock.pak.PakCode;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every field of a fulfillment request gets its own message, checked against the bundled catalogue. */
class RequestValidationTest {

    private static final Path CATALOGUE = Path.of("src/main/resources/catalogue/catalogue.yml");
    private static final String PAK = PakCode.fromData("7KQ4M2XD9TPZRW3").formatted();
    private static final String UDI = "PID:ISR4331/K9,SN:FDO21120ABC";
    private static final String SKU = "FL-ISR4300-SEC-K9";
    private static final String EVAL_SKU = "EVAL-ISR4300-SEC";
    private static final String EMAIL = "ops@example.com";

    private static Catalogue catalogue;

    @BeforeAll
    static void loadCatalogue() throws Exception {
        try (Reader reader = Files.newBufferedReader(CATALOGUE, StandardCharsets.UTF_8)) {
            catalogue = new CatalogueParser().parse(CATALOGUE.toString(), reader);
        }
        assertThat(catalogue.sku(SKU)).isPresent().get().matches(s -> !s.eulaRequired());
        assertThat(catalogue.sku(EVAL_SKU)).isPresent().get().matches(s -> s.eulaRequired());
    }

    private static List<FieldError> validate(String pak, String sku, String udi, String email, Boolean eula) {
        return RequestValidation.validate(new FulfillmentRequest(pak, sku, udi, email, eula), catalogue);
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    // ---------------------------------------------------------------- valid requests

    @Test
    void validRequestHasNoErrors() {
        assertThat(validate(PAK, SKU, UDI, EMAIL, null)).isEmpty();
        assertThat(validate(PAK, SKU, UDI, EMAIL, false)).isEmpty();
        assertThat(validate(PAK, SKU, UDI, EMAIL, true)).isEmpty();
        assertThat(validate(PAK.toLowerCase().replace('-', ' '), SKU, UDI + ",VID:V02", EMAIL, null)).isEmpty();
    }

    @Test
    void validEvaluationRequestWithEulaHasNoErrors() {
        assertThat(validate(PAK, EVAL_SKU, UDI, EMAIL, true)).isEmpty();
    }

    // ---------------------------------------------------------------- pakCode

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void missingPak(String pak) {
        List<FieldError> errors = validate(pak, SKU, UDI, EMAIL, null);
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("pakCode");
            assertThat(e.message()).startsWith("PAK is empty");
        });
    }

    @Test
    void pakWithBadCharacterWrongLengthOrTypo() {
        assertThat(validate("7KQ4-M2XU-9TPZ-RW3E", SKU, UDI, EMAIL, null)).singleElement()
                .isEqualTo(new FieldError("pakCode",
                        "PAK has an invalid character 'U' at position 9: only digits and the letters A-Z except U are used."));
        assertThat(validate(PAK.substring(0, 18), SKU, UDI, EMAIL, null)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("pakCode");
            assertThat(e.message()).startsWith("PAK has 15 characters");
        });
        String typo = PAK.substring(0, 2) + (PAK.charAt(2) == '7' ? '8' : '7') + PAK.substring(3);
        assertThat(validate(typo, SKU, UDI, EMAIL, null)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("pakCode");
            assertThat(e.message()).startsWith("PAK check character does not match");
        });
    }

    // ---------------------------------------------------------------- udi

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t"})
    void missingUdi(String udi) {
        assertThat(validate(PAK, SKU, udi, EMAIL, null)).singleElement()
                .isEqualTo(new FieldError("udi", "UDI is missing: enter it as PID:<product id>,SN:<serial number>"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ISR4331/K9", "PID:ISR4331/K9", "SN:FDO21120ABC,PID:ISR4331/K9", "pid:isr4331/k9,sn:fdo1",
            "PID:ISR4331/K9, SN:FDO21120ABC", "PID:ISR4331/K9,SN:FDO21120ABC,XID:1", "PID:ISR4331/K9,,SN:FDO21120ABC"})
    void malformedUdi(String udi) {
        assertThat(validate(PAK, SKU, udi, EMAIL, null)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("udi");
            assertThat(e.message()).isNotBlank().doesNotStartWith("UDI is missing");
        });
    }

    // ---------------------------------------------------------------- sku

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void missingSku(String sku) {
        assertThat(validate(PAK, sku, UDI, EMAIL, null)).singleElement()
                .isEqualTo(new FieldError("sku", "SKU is missing: choose one of the SKUs on your PAK"));
    }

    @Test
    void unknownSkuNamesTheCatalogueRevision() {
        assertThat(validate(PAK, "FL-NO-SUCH-SKU", UDI, EMAIL, null)).singleElement()
                .isEqualTo(new FieldError("sku", "SKU 'FL-NO-SUCH-SKU' is not in the catalogue (revision "
                        + catalogue.revision() + ")"));
        // SKU ids are matched exactly.
        assertThat(fields(validate(PAK, SKU.toLowerCase(), UDI, EMAIL, null))).containsExactly("sku");
    }

    // ---------------------------------------------------------------- email

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"ops", "ops@example", "@example.com", "ops@@example.com", "ops@exa@mple.com",
            "o ps@example.com", "ops@exam ple.com", "ops@example.", "ops@.com", "ops@example.com ", " ops@example.com"})
    void badEmail(String email) {
        assertThat(validate(PAK, SKU, UDI, email, null)).singleElement()
                .isEqualTo(new FieldError("email", "email must be an address like name@example.com"));
    }

    @Test
    void emailLengthLimits() {
        String local64 = "a".repeat(64);
        assertThat(validate(PAK, SKU, UDI, local64 + "@example.com", null)).isEmpty();
        assertThat(fields(validate(PAK, SKU, UDI, "a" + local64 + "@example.com", null))).containsExactly("email");
        String domain = "d".repeat(320 - 64 - 1 - 4) + ".com";
        String longest = local64 + "@" + domain;
        assertThat(longest).hasSize(320);
        assertThat(validate(PAK, SKU, UDI, longest, null)).isEmpty();
        assertThat(fields(validate(PAK, SKU, UDI, local64 + "@d" + domain, null))).containsExactly("email");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@b.c", "first.last+tag@sub.example.co.uk", "OPS@EXAMPLE.COM"})
    void goodEmail(String email) {
        assertThat(validate(PAK, SKU, UDI, email, null)).isEmpty();
    }

    // ---------------------------------------------------------------- eulaAccepted

    @Test
    void evaluationSkuRequiresEula() {
        for (Boolean eula : new Boolean[] {null, false}) {
            assertThat(validate(PAK, EVAL_SKU, UDI, EMAIL, eula)).singleElement().satisfies(e -> {
                assertThat(e.field()).isEqualTo("eulaAccepted");
                assertThat(e.message()).startsWith("SKU EVAL-ISR4300-SEC is a")
                        .contains("evaluation license", "end-user license agreement", "(eulaAccepted: true)");
            });
        }
    }

    @Test
    void everySkuThatRequiresEulaIsChecked() {
        catalogue.skus().forEach(sku -> {
            List<String> fields = fields(validate(PAK, sku.id(), UDI, EMAIL, false));
            if (sku.eulaRequired()) {
                assertThat(fields).as(sku.id()).containsExactly("eulaAccepted");
                assertThat(validate(PAK, sku.id(), UDI, EMAIL, true)).as(sku.id()).isEmpty();
            } else {
                assertThat(fields).as(sku.id()).isEmpty();
            }
        });
        assertThat(catalogue.skus()).filteredOn(s -> s.eulaRequired()).extracting(s -> s.id())
                .contains("EVAL-ISR4300-SEC", "EXT-ISR4300-SEC");
    }

    @Test
    void eulaIsNotCheckedForAnUnknownSku() {
        assertThat(fields(validate(PAK, "EVAL-NO-SUCH", UDI, EMAIL, false))).containsExactly("sku");
    }

    // ---------------------------------------------------------------- several at once

    @Test
    void reportsEveryBadFieldInFormOrder() {
        assertThat(fields(validate("nope", EVAL_SKU, "garbage", "no-at-sign", false)))
                .containsExactly("pakCode", "udi", "email", "eulaAccepted");
        assertThat(fields(validate(null, null, null, null, null)))
                .containsExactly("pakCode", "udi", "sku", "email");
        assertThat(fields(validate(PAK + "X", "NO-SUCH-SKU", UDI, "x@y", true)))
                .containsExactly("pakCode", "sku", "email");
        assertThat(validate("", "", "", "", null)).hasSize(4).allSatisfy(e -> assertThat(e.message()).isNotBlank());
    }
}
