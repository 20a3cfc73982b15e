package io.nodelock.catalogue;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Loads and validates the catalogue at startup from {@code nodelock.catalogue.location}. An invalid or missing file
 * fails startup with a {@link CatalogueException} listing every error with its line number.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CatalogueProperties.class)
public class CatalogueConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CatalogueConfiguration.class);

    @Bean
    public Catalogue catalogue(CatalogueProperties properties, ResourceLoader resourceLoader) {
        return load(properties.location(), resourceLoader);
    }

    /** Loads the catalogue at a Spring resource location (also usable outside the bean, e.g. by a CLI check). */
    public static Catalogue load(String location, ResourceLoader resourceLoader) {
        Resource resource = resourceLoader.getResource(location);
        String sourceName = resource.getFilename() != null ? resource.getFilename() : location;
        if (!resource.exists()) {
            throw new CatalogueException(List.of(location + ": catalogue file not found "
                    + "(set nodelock.catalogue.location, e.g. file:/etc/nodelock/catalogue.yml)"));
        }
        Catalogue catalogue;
        try (Reader reader = new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8)) {
            catalogue = new CatalogueParser().parse(sourceName, reader);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new CatalogueException(List.of(location + ": cannot read catalogue: " + e.getMessage()));
        } catch (CatalogueException e) {
            log.error("Catalogue at {} is invalid ({} error{}):\n{}", location, e.errors().size(),
                    e.errors().size() == 1 ? "" : "s", e.getMessage());
            throw e;
        }
        log.info("Catalogue {} loaded from {}: {} features, {} SKUs, {} products, {} evaluations, EULA {}",
                catalogue.revision(), location, catalogue.features().size(), catalogue.skus().size(),
                catalogue.products().size(), catalogue.evaluations().size(),
                catalogue.currentEula().map(EulaText::version).orElse("none"));
        return catalogue;
    }
}
