package io.nodelock.inventory;

import io.nodelock.licensefile.Udi;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Devices as the inventory shows them. A device is its account's; the licenses counted and listed on it are those the
 * caller may see (a customer: its own account's, so a device released from another account shows none of the
 * claimer's; an operator: all).
 */
@Repository
public class DeviceInventory {

    public static final String LIST = "devices";

    private final JdbcTemplate jdbc;
    private final DeviceHistory history;

    public DeviceInventory(JdbcTemplate jdbc, DeviceHistory history) {
        this.jdbc = jdbc;
        this.history = history;
    }

    /**
     * @param udiPrefix a prefix of the canonical binding {@code PID:<pid>,SN:<sn>}
     * @param feature   devices with an active license of this feature
     * @param locked    locked devices only (true), unlocked only (false), or both (null)
     */
    public record Filter(String udiPrefix, String productId, String feature, Boolean locked) {
    }

    public record Item(String udi, String productId, String serialNumber, String accountId, boolean locked, String lockedReason,
                       boolean certified, int licenseCount, int activeLicenses, Instant firstSeenAt, String registeredBy,
                       String self) {
    }

    /** A license on the device; {@code expiresAt} only where the service knows it (a subscription's end). */
    public record License(String id, String feature, String sku, String type, String status, int count, Instant issuedAt,
                          Instant expiresAt, String replaces) {
    }

    public record Detail(String udi, String productId, String serialNumber, String accountId, boolean locked, String lockedReason,
                         Instant lockedAt, boolean certified, Instant firstSeenAt, String registeredBy, List<License> licenses,
                         List<DeviceHistory.Entry> history) {
    }

    private record Row(String udi, String productId, String serialNumber, String accountId, Instant firstSeenAt, Instant lockedAt,
                       String lockedReason, String registeredBy, String shipmentReference, boolean certified) {
    }

    private static final String COLUMNS = "d.udi, d.product_id, d.serial_number, d.account_id, d.first_seen_at, d.locked_at, "
            + "d.locked_reason, d.registered_by, d.shipment_reference, exists (select 1 from device_key k where k.udi = d.udi "
            + "and k.certificate_serial is not null) as certified";

    public Page<Item> list(Scope scope, Filter filter, Keyset cursor, int limit) {
        Sql sql = new Sql().eq("d.account_id", scope.accountId()).prefix("d.udi", filter.udiPrefix())
                .eq("d.product_id", filter.productId());
        if (filter.feature() != null) {
            sql.and("exists (select 1 from license l where l.udi = d.udi and l.feature = ? and l.status = 'ACTIVE'"
                    + (scope.all() ? "" : " and l.account_id = d.account_id") + ")", filter.feature());
        }
        if (filter.locked() != null) {
            sql.and(filter.locked() ? "d.locked_at is not null" : "d.locked_at is null");
        }
        sql.after("d.first_seen_at", "d.udi", cursor, cursor == null ? null : cursor.id());
        List<Row> rows = jdbc.query("select " + COLUMNS + " from device d" + sql.where()
                + " order by d.first_seen_at desc, d.udi desc fetch first " + (limit + 1) + " rows only", DeviceInventory::row, sql.args());
        Map<String, int[]> counts = counts(scope, rows.stream().limit(limit).map(Row::udi).toList());
        List<Item> items = rows.stream().map(r -> {
            int[] c = counts.getOrDefault(r.udi(), new int[2]);
            return new Item(r.udi(), r.productId(), r.serialNumber(), r.accountId(), r.lockedAt() != null, r.lockedReason(),
                    r.certified(), c[0], c[1], r.firstSeenAt(), r.registeredBy(), self(r.udi()));
        }).toList();
        return Page.of(items, limit, LIST, i -> new Keyset(i.firstSeenAt(), i.udi()));
    }

    /** The device with its licenses and history, if the scope sees it: another account's device is not found. */
    public Optional<Detail> find(Scope scope, Udi udi) {
        String binding = udi.binding();
        Sql sql = new Sql().eq("d.udi", binding).eq("d.account_id", scope.accountId());
        Optional<Row> found = jdbc.query("select " + COLUMNS + " from device d" + sql.where(), DeviceInventory::row, sql.args())
                .stream().findFirst();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Row d = found.get();
        Sql licenseSql = new Sql().eq("l.udi", binding).eq("l.account_id", scope.accountId());
        List<License> licenses = jdbc.query("select l.id, l.feature, l.sku, l.license_type, l.status, l.license_count, l.issued_at, "
                + "l.not_after, l.replaces_id from license l" + licenseSql.where() + " order by l.issued_at desc, l.id desc",
                (rs, n) -> new License(rs.getString("id"), rs.getString("feature"), rs.getString("sku"),
                        LicenseInventory.wireType(rs.getString("license_type")), rs.getString("status"), rs.getInt("license_count"),
                        rs.getTimestamp("issued_at").toInstant(), Sql.instant(rs.getTimestamp("not_after")), rs.getString("replaces_id")),
                licenseSql.args());
        return Optional.of(new Detail(d.udi(), d.productId(), d.serialNumber(), d.accountId(), d.lockedAt() != null, d.lockedReason(),
                d.lockedAt(), d.certified(), d.firstSeenAt(), d.registeredBy(), licenses, history.of(scope, d.udi(), d.registeredBy(),
                d.shipmentReference(), d.firstSeenAt(), d.accountId())));
    }

    /** The URL path of a device: {@code PID_SN} with a PID's {@code /} written {@code ~}, which needs no escaping. */
    public static String self(String binding) {
        Udi udi = Udi.parse(binding);
        return "/api/v1/devices/" + udi.productId().replace('/', '~') + "_" + udi.serialNumber();
    }

    /** Per UDI: how many licenses the scope sees on it, and how many of them are active. */
    private Map<String, int[]> counts(Scope scope, List<String> udis) {
        if (udis.isEmpty()) {
            return Map.of();
        }
        Sql sql = new Sql().in("l.udi", udis).eq("l.account_id", scope.accountId());
        Map<String, int[]> counts = new HashMap<>();
        jdbc.query("select l.udi, count(*) as total, sum(case when l.status = 'ACTIVE' then 1 else 0 end) as active from license l"
                + sql.where() + " group by l.udi", rs -> {
                    counts.put(rs.getString("udi"), new int[] {rs.getInt("total"), rs.getInt("active")});
                }, sql.args());
        return counts;
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString("udi"), rs.getString("product_id"), rs.getString("serial_number"), rs.getString("account_id"),
                rs.getTimestamp("first_seen_at").toInstant(), Sql.instant(rs.getTimestamp("locked_at")), rs.getString("locked_reason"),
                rs.getString("registered_by"), rs.getString("shipment_reference"), rs.getBoolean("certified"));
    }
}
