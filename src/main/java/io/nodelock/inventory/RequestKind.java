package io.nodelock.inventory;

import io.nodelock.extension.ExtensionStatus;
import io.nodelock.fulfillment.FulfillmentStatus;
import io.nodelock.migration.MigrationStatus;
import io.nodelock.rehost.RehostStatus;
import io.nodelock.resend.ResendStatus;
import io.nodelock.rma.RmaStatus;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** The flows whose requests the inventory lists, each with its table, its UDI columns and its statuses. */
public enum RequestKind {
    FULFILLMENT("fulfillment", "fulfillments", "fulfillment", "udi", null, FulfillmentStatus.values()),
    RMA("rma", "rmas", "rma", "failed_udi", "replacement_udi", RmaStatus.values()),
    REHOST("rehost", "rehosts", "rehost", "source_udi", "destination_udi", RehostStatus.values()),
    EXTENSION("extension", "extensions", "license_extension", "udi", null, ExtensionStatus.values()),
    RESEND("resend", "resends", "license_resend", "udi", null, ResendStatus.values()),
    MIGRATION("migration", "migrations", "license_migration", "udi", null, MigrationStatus.values());

    private final String wireName;
    private final String path;
    private final String table;
    private final String udiColumn;
    private final String otherUdiColumn;
    private final Set<String> statuses;

    RequestKind(String wireName, String path, String table, String udiColumn, String otherUdiColumn, Enum<?>[] statuses) {
        this.wireName = wireName;
        this.path = path;
        this.table = table;
        this.udiColumn = udiColumn;
        this.otherUdiColumn = otherUdiColumn;
        this.statuses = new LinkedHashSet<>(Arrays.stream(statuses).map(Enum::name).toList());
    }

    /** How the API names the kind ({@code kind=} and the union's items). */
    public String wireName() {
        return wireName;
    }

    /** The statuses a request of this kind can have, as its detail answer writes them. */
    public Set<String> statuses() {
        return statuses;
    }

    /** The URL of one request of this kind. */
    public String self(Object id) {
        return "/api/v1/" + path + "/" + id;
    }

    /** The name of this kind's own list, which its cursors carry. */
    public String list() {
        return path;
    }

    String table() {
        return table;
    }

    /** The UDI a request of this kind is about (the failed device of an RMA, the source of a rehost). */
    String udiColumn() {
        return udiColumn;
    }

    /** The second device of an RMA (replacement) or rehost (destination); null for the other kinds. */
    String otherUdiColumn() {
        return otherUdiColumn;
    }

    public static Optional<RequestKind> fromWire(String wire) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(wire)).findFirst();
    }
}
