package io.nodelock.inventory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * A device's license history, newest first, from the flows' own tables (what each request asked and where it stands)
 * and, for the release of a device another account claimed, from the audit trail (no table keeps it). A customer sees
 * its own account's requests on the device; an operator sees every account's.
 */
@Repository
public class DeviceHistory {

    /** Kinds of history entries, as the API names them. */
    static final List<String> KINDS = List.of("fulfillment", "rma", "rehost", "extension", "resend", "evaluation", "manufacturing",
            "shipment", "release");

    /**
     * One thing that happened to the device's licenses. {@code id} is the request's (none for a shipment or release),
     * {@code self} the request's detail URL where the caller may follow it.
     */
    public record Entry(Instant at, String kind, String id, String status, String summary, String self) {
    }

    private final JdbcTemplate jdbc;

    DeviceHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<Entry> of(Scope scope, String binding, String registeredBy, String shipmentReference, Instant firstSeenAt, String holder) {
        List<Entry> entries = new ArrayList<>();
        String own = scope.all() ? "" : " and account_id = ?";
        // A fulfillment stores the UDI as the customer wrote it, with a VID when one was given.
        entries.addAll(jdbc.query("select id, status, sku, pak_code, rejection_code, created_at from fulfillment "
                + "where (udi = ? or udi like ? escape '\\')" + own, (rs, n) -> {
                    String rejected = rs.getString("rejection_code");
                    return new Entry(rs.getTimestamp("created_at").toInstant(), "fulfillment", rs.getString("id"), rs.getString("status"),
                            "SKU " + rs.getString("sku") + " from PAK " + rs.getString("pak_code") + (rejected == null ? "" : "; rejected: " + rejected),
                            "/api/v1/fulfillments/" + rs.getString("id"));
                }, args(scope, binding, Sql.likePrefix(binding + ",VID:"))));
        entries.addAll(jdbc.query("select id, status, rma_number, failed_udi, replacement_udi, rejection_code, created_at from rma "
                + "where (failed_udi = ? or replacement_udi = ?)" + own, (rs, n) -> {
                    String rejected = rs.getString("rejection_code");
                    boolean failed = binding.equals(rs.getString("failed_udi"));
                    return new Entry(rs.getTimestamp("created_at").toInstant(), "rma", rs.getString("id"), rs.getString("status"),
                            "RMA " + rs.getString("rma_number") + ": " + (failed ? "this device failed; its licenses go to "
                                    + rs.getString("replacement_udi") : "replaces " + rs.getString("failed_udi"))
                                    + (rejected == null ? "" : "; rejected: " + rejected), "/api/v1/rmas/" + rs.getString("id"));
                }, args(scope, binding, binding)));
        entries.addAll(jdbc.query("select id, status, source_udi, destination_udi, license_ids, rejection_code, created_at from rehost "
                + "where (source_udi = ? or destination_udi = ?)" + own, (rs, n) -> {
                    String rejected = rs.getString("rejection_code");
                    int count = Arrays.asList(rs.getString("license_ids").split(",")).size();
                    String destination = rs.getString("destination_udi");
                    String what = count + (count == 1 ? " license" : " licenses");
                    String summary = binding.equals(rs.getString("source_udi"))
                            ? what + " moving from this device to " + (destination == null ? "a device not named yet" : destination)
                            : what + " moved here from " + rs.getString("source_udi");
                    return new Entry(rs.getTimestamp("created_at").toInstant(), "rehost", rs.getString("id"), rs.getString("status"),
                            summary + (rejected == null ? "" : "; rejected: " + rejected), "/api/v1/rehosts/" + rs.getString("id"));
                }, args(scope, binding, binding)));
        entries.addAll(jdbc.query("select id, status, feature, days_requested, days_granted, rejection_code, created_at "
                + "from license_extension where udi = ?" + own, (rs, n) -> {
                    String rejected = rs.getString("rejection_code");
                    Integer granted = (Integer) rs.getObject("days_granted");
                    return new Entry(rs.getTimestamp("created_at").toInstant(), "extension", rs.getString("id"), rs.getString("status"),
                            rs.getString("feature") + ": " + rs.getInt("days_requested") + " more days of use asked"
                                    + (granted == null ? "" : ", " + granted + " granted") + (rejected == null ? "" : "; " + rejected),
                            "/api/v1/extensions/" + rs.getString("id"));
                }, args(scope, binding)));
        entries.addAll(jdbc.query("select id, status, channel, rejection_code, created_at from license_resend where udi = ?" + own,
                (rs, n) -> {
                    String rejected = rs.getString("rejection_code");
                    return new Entry(rs.getTimestamp("created_at").toInstant(), "resend", rs.getString("id"), rs.getString("status"),
                            "active licenses sent again (" + rs.getString("channel") + ")" + (rejected == null ? "" : "; refused: " + rejected),
                            "/api/v1/resends/" + rs.getString("id"));
                }, args(scope, binding)));
        entries.addAll(jdbc.query("select id, status, kind, license_id, to_sku, rejection_code, created_at from license_migration "
                + "where udi = ?" + own, (rs, n) -> {
                    String rejected = rs.getString("rejection_code");
                    return new Entry(rs.getTimestamp("created_at").toInstant(), "migration", rs.getString("id"), rs.getString("status"),
                            ("UPGRADE".equals(rs.getString("kind")) ? "upgrade" : "conversion") + " of license " + rs.getString("license_id")
                                    + " to " + rs.getString("to_sku") + (rejected == null ? "" : "; refused: " + rejected),
                            "/api/v1/migrations/" + rs.getString("id"));
                }, args(scope, binding)));
        entries.addAll(jdbc.query("select id, feature, usage_days, created_at from evaluation where udi = ?" + own, (rs, n) ->
                new Entry(rs.getTimestamp("created_at").toInstant(), "evaluation", rs.getString("id"), "ISSUED",
                        "evaluation of " + rs.getString("feature") + ", " + rs.getInt("usage_days") + " days of use",
                        "/api/v1/evaluations/" + rs.getString("id")), args(scope, binding)));
        entries.addAll(jdbc.query("select o.id, o.reference, o.created_at, d.state, d.made_at, d.failure_code from manufacturing_device d "
                + "join manufacturing_order o on o.id = d.order_id where d.udi = ?" + (scope.all() ? "" : " and o.account_id = ?"),
                (rs, n) -> {
                    Instant made = Sql.instant(rs.getTimestamp("made_at"));
                    String failed = rs.getString("failure_code");
                    return new Entry(made != null ? made : rs.getTimestamp("created_at").toInstant(), "manufacturing", rs.getString("id"),
                            rs.getString("state"), "manufacturing order '" + rs.getString("reference") + "'"
                            + (failed == null ? "" : "; failed: " + failed),
                            scope.all() ? "/api/v1/manufacturing-orders/" + rs.getString("id") : null);
                }, args(scope, binding)));
        List<Entry> releases = jdbc.query("select occurred_at, detail from audit_event where subject = ? and action = 'device.released'",
                (rs, n) -> new Entry(rs.getTimestamp("occurred_at").toInstant(), "release", null, "RELEASED",
                        // What the operator wrote names the account the device was taken from: not the new holder's to read.
                        scope.all() ? "released by an operator " + rs.getString("detail") : "given to this account by an operator",
                        null), "device:" + binding);
        entries.addAll(releases);
        // A shipping record registers the device under its account; a release rewrites the same columns, so after one
        // the device row no longer tells of a shipment.
        if ("shipment".equals(registeredBy) && releases.isEmpty()) {
            entries.add(new Entry(firstSeenAt, "shipment", null, "SHIPPED", "recorded as shipped to " + (scope.all() ? holder
                    : "this account") + (shipmentReference == null ? "" : " (" + shipmentReference + ")"), null));
        }
        entries.sort(Comparator.comparing(Entry::at).reversed().thenComparing(Entry::kind).thenComparing(e -> e.id() == null ? "" : e.id()));
        return entries;
    }

    private static Object[] args(Scope scope, Object... leading) {
        List<Object> all = new ArrayList<>(Arrays.asList(leading));
        if (!scope.all()) {
            all.add(scope.accountId());
        }
        return all.toArray();
    }
}
