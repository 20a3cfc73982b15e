package io.nodelock.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The Spring wiring: default location, operator file, and startup failure on a bad file. */
@ExtendWith(OutputCaptureExtension.class)
class CatalogueConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(CatalogueConfiguration.class);

    @Test
    void loadsTheBundledCatalogueByDefault(CapturedOutput output) {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Catalogue.class);
            assertThat(context.getBean(CatalogueProperties.class).location())
                    .isEqualTo("classpath:catalogue/catalogue.yml");
            Catalogue catalogue = context.getBean(Catalogue.class);
            assertThat(catalogue.revision()).isEqualTo("2026-12-01.2");
            assertThat(catalogue.sku("FL-ISR4300-SEC-K9")).isPresent();
        });
        assertThat(output).contains("Catalogue 2026-12-01.2 loaded from classpath:catalogue/catalogue.yml: "
                + "8 features, 17 SKUs, 5 products, 4 evaluations, EULA 2026-11");
    }

    @Test
    void loadsAnOperatorFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("catalogue.yml");
        Files.writeString(file, """
                format: 1
                revision: "ops-7"
                features:
                  - name: securityk9
                    description: Security
                products:
                  - id: C1111-4P
                    description: Cisco 1111
                skus:
                  - id: FL-C1111-SEC-K9
                    description: Security for 1100
                    features: [securityk9]
                    type: permanent
                    products: [C1111-4P]
                """);
        runner.withPropertyValues("nodelock.catalogue.location=file:" + file)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Catalogue.class).revision()).isEqualTo("ops-7");
                    assertThat(context.getBean(Catalogue.class).skuAppliesTo("FL-C1111-SEC-K9", "C1111-4P")).isTrue();
                });
    }

    @Test
    void badFileFailsStartupWithEveryLineNumberedError() {
        runner.withPropertyValues("nodelock.catalogue.location=classpath:catalogue/many-errors.yml")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable root = rootCause(context.getStartupFailure());
                    Assertions.assertThat(root).isInstanceOf(CatalogueException.class);
                    CatalogueException e = (CatalogueException) root;
                    assertThat(e.errors()).hasSize(30);
                    assertThat(e.getMessage())
                            .startsWith("many-errors.yml line 1: unsupported format 2")
                            .contains("many-errors.yml line 28, column 28: sku FL-ISR4300-SEC-K9: unknown feature "
                                    + "'ipsrvices' (did you mean 'ipservices'?)")
                            .contains("many-errors.yml line 56: sku FL-ISR4300-SEC-K9: 'products' must not be empty")
                            .endsWith("many-errors.yml line 66: EULA 2026-11: unknown key 'txt' (did you mean 'text'?)");
                });
    }

    @Test
    void missingFileFailsStartup() {
        runner.withPropertyValues("nodelock.catalogue.location=file:/nonexistent/nodelock/catalogue.yml")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(rootCause(context.getStartupFailure()))
                            .isInstanceOf(CatalogueException.class)
                            .hasMessageContaining("file:/nonexistent/nodelock/catalogue.yml: catalogue file not found");
                });
    }

    @Test
    void blankLocationMeansTheDefault() {
        assertThat(new CatalogueProperties(" ").location()).isEqualTo(CatalogueProperties.DEFAULT_LOCATION);
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
