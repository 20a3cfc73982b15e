package io.nodelock.inventory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The requests of the flows (fulfillments, RMAs, rehosts, extensions, resends, migrations): each flow's own list (migrations
 * only in the union, {@code kind=migration}), and their union,
 * which the portal's "my requests" page polls. A request is the account's that made it.
 */
@Repository
public class RequestInventory {

    public static final String UNION_LIST = "requests";

    private final JdbcTemplate jdbc;

    public RequestInventory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param kinds       the flows to list (all when empty; the per-flow lists name their own)
     * @param statuses    any of these statuses (each must be one of some listed kind's)
     * @param udiPrefix   a prefix of either device's UDI (an RMA's failed or replacement device, a rehost's source or
     *                    destination)
     * @param createdFrom {@code createdAt >= createdFrom}
     * @param createdTo   {@code createdAt < createdTo}
     */
    public record Filter(Set<RequestKind> kinds, Set<String> statuses, String udiPrefix, Instant createdFrom, Instant createdTo) {
    }

    /** One request of any flow: what the union lists. {@code udi} is the request's first device. */
    public record Request(String kind, UUID id, String accountId, String status, String udi, Instant createdAt, Instant completedAt,
                          String summary, String self) {
    }

    public record Rejection(String code, String message) {
        static Rejection of(ResultSet rs) throws SQLException {
            String code = rs.getString("rejection_code");
            return code == null ? null : new Rejection(code, rs.getString("rejection_message"));
        }
    }

    public record FulfillmentItem(UUID id, String accountId, String status, String pakCode, String sku, String udi, String email,
                                  Instant createdAt, Instant completedAt, Rejection rejection, String self) {
    }

    public record RmaItem(UUID id, String accountId, String status, String rmaNumber, String failedUdi, String replacementUdi,
                          String email, String reviewReason, Instant createdAt, Instant completedAt, Rejection rejection, String self) {
    }

    public record RehostItem(UUID id, String accountId, String status, String sourceUdi, String destinationUdi, String email,
                             List<String> licenseIds, Instant expiresAt, Instant createdAt, Instant redeemedAt, Instant completedAt,
                             Rejection rejection, String self) {
    }

    public record ExtensionItem(UUID id, String accountId, String status, String udi, String feature, String extendsLicense,
                                int daysRequested, Integer daysGranted, Instant createdAt, Instant completedAt, Rejection rejection,
                                String self) {
    }

    public record ResendItem(UUID id, String accountId, String status, String udi, String channel, List<String> licenseIds,
                             Instant createdAt, Instant completedAt, Rejection rejection, String self) {
    }

    public Page<FulfillmentItem> fulfillments(Scope scope, Filter filter, Keyset cursor, int limit) {
        return flow(RequestKind.FULFILLMENT, scope, filter, cursor, limit, (rs, n) -> new FulfillmentItem(id(rs), rs.getString("account_id"),
                rs.getString("status"), rs.getString("pak_code"), rs.getString("sku"), rs.getString("udi"), rs.getString("email"),
                created(rs), Sql.instant(rs.getTimestamp("completed_at")), Rejection.of(rs), RequestKind.FULFILLMENT.self(id(rs))),
                i -> new Keyset(i.createdAt(), i.id().toString()));
    }

    public Page<RmaItem> rmas(Scope scope, Filter filter, Keyset cursor, int limit) {
        return flow(RequestKind.RMA, scope, filter, cursor, limit, (rs, n) -> new RmaItem(id(rs), rs.getString("account_id"),
                rs.getString("status"), rs.getString("rma_number"), rs.getString("failed_udi"), rs.getString("replacement_udi"),
                rs.getString("email"), rs.getString("review_reason"), created(rs), Sql.instant(rs.getTimestamp("completed_at")),
                Rejection.of(rs), RequestKind.RMA.self(id(rs))), i -> new Keyset(i.createdAt(), i.id().toString()));
    }

    public Page<RehostItem> rehosts(Scope scope, Filter filter, Keyset cursor, int limit) {
        return flow(RequestKind.REHOST, scope, filter, cursor, limit, (rs, n) -> new RehostItem(id(rs), rs.getString("account_id"),
                rs.getString("status"), rs.getString("source_udi"), rs.getString("destination_udi"), rs.getString("email"),
                ids(rs.getString("license_ids")), Sql.instant(rs.getTimestamp("expires_at")), created(rs),
                Sql.instant(rs.getTimestamp("redeemed_at")), Sql.instant(rs.getTimestamp("completed_at")), Rejection.of(rs),
                RequestKind.REHOST.self(id(rs))), i -> new Keyset(i.createdAt(), i.id().toString()));
    }

    public Page<ExtensionItem> extensions(Scope scope, Filter filter, Keyset cursor, int limit) {
        return flow(RequestKind.EXTENSION, scope, filter, cursor, limit, (rs, n) -> new ExtensionItem(id(rs), rs.getString("account_id"),
                rs.getString("status"), rs.getString("udi"), rs.getString("feature"), rs.getString("base_license_id"),
                rs.getInt("days_requested"), (Integer) rs.getObject("days_granted"), created(rs),
                Sql.instant(rs.getTimestamp("completed_at")), Rejection.of(rs), RequestKind.EXTENSION.self(id(rs))),
                i -> new Keyset(i.createdAt(), i.id().toString()));
    }

    public Page<ResendItem> resends(Scope scope, Filter filter, Keyset cursor, int limit) {
        return flow(RequestKind.RESEND, scope, filter, cursor, limit, (rs, n) -> new ResendItem(id(rs), rs.getString("account_id"),
                rs.getString("status"), rs.getString("udi"), rs.getString("channel"), ids(rs.getString("license_ids")), created(rs),
                Sql.instant(rs.getTimestamp("completed_at")), Rejection.of(rs), RequestKind.RESEND.self(id(rs))),
                i -> new Keyset(i.createdAt(), i.id().toString()));
    }

    /**
     * Every listed flow's requests in one list, newest first. Each flow's part is read through its own (account,
     * created_at, id) index and cut at the page size before they are merged, so a page costs a few index reads per
     * flow however many requests there are.
     */
    public Page<Request> requests(Scope scope, Filter filter, Keyset cursor, int limit) {
        Set<RequestKind> kinds = filter.kinds() == null || filter.kinds().isEmpty() ? EnumSet.allOf(RequestKind.class) : filter.kinds();
        List<String> parts = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        for (RequestKind kind : kinds) {
            Sql where = where(kind, scope, filter, cursor);
            if (where == null) {
                continue;
            }
            parts.add("(select '" + kind.wireName() + "' as kind, id, account_id, status, " + kind.udiColumn() + " as udi, "
                    + (kind.otherUdiColumn() == null ? "cast(null as varchar(80))" : kind.otherUdiColumn()) + " as other_udi, "
                    + "created_at, completed_at, " + details(kind) + " from " + kind.table() + where.where()
                    + " order by created_at desc, id desc fetch first " + (limit + 1) + " rows only)");
            args.addAll(where.argList());
        }
        if (parts.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        List<Request> rows = jdbc.query("select * from (" + String.join(" union all ", parts) + ") r "
                + "order by r.created_at desc, r.id desc fetch first " + (limit + 1) + " rows only", (rs, n) -> {
                    RequestKind kind = RequestKind.fromWire(rs.getString("kind")).orElseThrow();
                    return new Request(kind.wireName(), id(rs), rs.getString("account_id"), rs.getString("status"), rs.getString("udi"),
                            created(rs), Sql.instant(rs.getTimestamp("completed_at")), summary(kind, rs), kind.self(id(rs)));
                }, args.toArray());
        return Page.of(rows, limit, UNION_LIST, r -> new Keyset(r.createdAt(), r.id().toString()));
    }

    /** Two columns of text each flow's summary is made of. */
    private static String details(RequestKind kind) {
        return switch (kind) {
            case FULFILLMENT -> "cast(sku as varchar(6600)) as d1, cast(pak_code as varchar(6600)) as d2";
            case RMA -> "cast(rma_number as varchar(6600)) as d1, cast(null as varchar(6600)) as d2";
            case REHOST -> "cast(license_ids as varchar(6600)) as d1, cast(null as varchar(6600)) as d2";
            case EXTENSION -> "cast(feature as varchar(6600)) as d1, cast(days_requested as varchar(6600)) as d2";
            case RESEND -> "cast(channel as varchar(6600)) as d1, cast(null as varchar(6600)) as d2";
            case MIGRATION -> "cast(license_id as varchar(6600)) as d1, cast(to_sku as varchar(6600)) as d2";
        };
    }

    private static String summary(RequestKind kind, ResultSet rs) throws SQLException {
        String d1 = rs.getString("d1");
        String other = rs.getString("other_udi");
        return switch (kind) {
            case FULFILLMENT -> "SKU " + d1 + " from PAK " + rs.getString("d2");
            case RMA -> "RMA " + d1 + ": " + rs.getString("udi") + " replaced by " + other;
            case REHOST -> {
                int count = d1.split(",").length;
                yield (count == 1 ? "1 license" : count + " licenses") + " from " + rs.getString("udi") + " to "
                        + (other == null ? "a device not named yet" : other);
            }
            case EXTENSION -> d1 + ": " + rs.getString("d2") + " more days of use";
            case RESEND -> "active licenses sent again (" + d1 + ")";
            case MIGRATION -> "license " + d1 + " to SKU " + rs.getString("d2");
        };
    }

    private <T> Page<T> flow(RequestKind kind, Scope scope, Filter filter, Keyset cursor, int limit, RowMapper<T> mapper,
                             java.util.function.Function<T, Keyset> key) {
        Sql where = where(kind, scope, filter, cursor);
        if (where == null) {
            return new Page<>(List.of(), null);
        }
        List<T> rows = jdbc.query("select * from " + kind.table() + where.where() + " order by created_at desc, id desc fetch first "
                + (limit + 1) + " rows only", mapper, where.args());
        return Page.of(rows, limit, kind.list(), key);
    }

    /** The conditions of one flow's part, or null when the filter leaves that flow out (none of its statuses asked for). */
    private static Sql where(RequestKind kind, Scope scope, Filter filter, Keyset cursor) {
        Set<String> statuses = null;
        if (filter.statuses() != null && !filter.statuses().isEmpty()) {
            statuses = filter.statuses().stream().filter(kind.statuses()::contains).collect(Collectors.toCollection(java.util.TreeSet::new));
            if (statuses.isEmpty()) {
                return null;
            }
        }
        Sql sql = new Sql().eq("account_id", scope.accountId()).in("status", statuses);
        if (filter.udiPrefix() != null) {
            String like = Sql.likePrefix(filter.udiPrefix());
            if (kind.otherUdiColumn() == null) {
                sql.and(kind.udiColumn() + " like ? escape '\\'", like);
            } else {
                sql.and("(" + kind.udiColumn() + " like ? escape '\\' or " + kind.otherUdiColumn() + " like ? escape '\\')", like, like);
            }
        }
        sql.between("created_at", filter.createdFrom(), filter.createdTo());
        if (cursor != null) {
            sql.after("created_at", "id", cursor, UUID.fromString(cursor.id()));
        }
        return sql;
    }

    private static UUID id(ResultSet rs) throws SQLException {
        return rs.getObject("id", UUID.class);
    }

    private static Instant created(ResultSet rs) throws SQLException {
        return rs.getTimestamp("created_at").toInstant();
    }

    private static List<String> ids(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
