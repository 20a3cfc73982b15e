package io.nodelock.inventory;

import io.nodelock.licensefile.LicenseType;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Licenses as the inventory shows them. A license is the account's it was issued to. Its {@code expiresAt} is the
 * only end date the service knows: a subscription's (the signed {@code notafter}). Permanent licenses never expire;
 * evaluation and extension licenses count days of use on the device, which the service never sees, so none is given.
 */
@Repository
public class LicenseInventory {

    public static final String LIST = "licenses";

    private final JdbcTemplate jdbc;

    public LicenseInventory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param statuses       ACTIVE, TRANSFERRED, REPLACED, REVOKED, SUPERSEDED (any of them)
     * @param types          license types by their wire names (any of them)
     * @param udiPrefix      a prefix of the canonical binding {@code PID:<pid>,SN:<sn>}
     * @param expiresAfter   {@code expiresAt >= expiresAfter}; licenses without an end date never match
     * @param expiresBefore  {@code expiresAt < expiresBefore}; licenses without an end date never match
     * @param issuedFrom     {@code issuedAt >= issuedFrom}
     * @param issuedTo       {@code issuedAt < issuedTo}
     */
    public record Filter(Set<String> statuses, String feature, String sku, Set<String> types, String udiPrefix, Instant expiresAfter,
                         Instant expiresBefore, Instant issuedFrom, Instant issuedTo) {
    }

    public record Item(String id, String udi, String accountId, String feature, String sku, String type, String status, int count,
                       Instant issuedAt, Instant expiresAt, String device) {
    }

    public Page<Item> list(Scope scope, Filter filter, Keyset cursor, int limit) {
        Sql sql = new Sql().eq("l.account_id", scope.accountId()).in("l.status", filter.statuses()).eq("l.feature", filter.feature())
                .eq("l.sku", filter.sku()).in("l.license_type", filter.types() == null ? null
                        : filter.types().stream().map(t -> LicenseType.fromWire(t).name()).toList())
                .prefix("l.udi", filter.udiPrefix()).between("l.not_after", filter.expiresAfter(), filter.expiresBefore())
                .between("l.issued_at", filter.issuedFrom(), filter.issuedTo())
                .after("l.issued_at", "l.id", cursor, cursor == null ? null : cursor.id());
        List<Item> rows = jdbc.query("select l.id, l.udi, l.account_id, l.feature, l.sku, l.license_type, l.status, l.license_count, "
                + "l.issued_at, l.not_after from license l" + sql.where() + " order by l.issued_at desc, l.id desc fetch first "
                + (limit + 1) + " rows only", (rs, n) -> new Item(rs.getString("id"), rs.getString("udi"), rs.getString("account_id"),
                rs.getString("feature"), rs.getString("sku"), wireType(rs.getString("license_type")), rs.getString("status"),
                rs.getInt("license_count"), rs.getTimestamp("issued_at").toInstant(), Sql.instant(rs.getTimestamp("not_after")),
                DeviceInventory.self(rs.getString("udi"))), sql.args());
        return Page.of(rows, limit, LIST, i -> new Keyset(i.issuedAt(), i.id()));
    }

    static String wireType(String stored) {
        return LicenseType.valueOf(stored).wireName();
    }
}
