package io.nodelock.migration;

/**
 * What a customer sends to migrate one of its licenses: the PAK holding a unit of the target SKU, the SKU, and for a
 * SKU that needs the EULA accepted, the acceptance (of the current version unless {@code eulaVersion} names it).
 */
public record MigrationRequest(String pakCode, String sku, String eulaVersion, Boolean eulaAccepted) {
}
