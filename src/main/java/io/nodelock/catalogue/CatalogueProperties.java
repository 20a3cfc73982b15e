package io.nodelock.catalogue;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the catalogue comes from.
 *
 * @param location a Spring resource location; defaults to the catalogue bundled with the service,
 *                 operators set e.g. {@code nodelock.catalogue.location=file:/etc/nodelock/catalogue.yml}
 */
@ConfigurationProperties(prefix = "nodelock.catalogue")
public record CatalogueProperties(@DefaultValue(CatalogueProperties.DEFAULT_LOCATION) String location) {

    public static final String DEFAULT_LOCATION = "classpath:catalogue/catalogue.yml";

    public CatalogueProperties {
        if (location == null || location.isBlank()) {
            location = DEFAULT_LOCATION;
        }
        location = location.strip();
    }
}
