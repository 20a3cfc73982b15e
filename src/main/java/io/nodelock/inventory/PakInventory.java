package io.nodelock.inventory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** PAKs as the inventory shows them: each with its lines and the units left. A PAK is the account's it was made for. */
@Repository
public class PakInventory {

    public static final String LIST = "paks";

    private final JdbcTemplate jdbc;

    public PakInventory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param codePrefix   a prefix of the code as stored: its 16 characters without dashes, upper case
     * @param sku          PAKs with a line of this SKU
     * @param hasUnitsLeft true: PAKs with a unit left (of {@code sku}, when named); false: PAKs with none left (on the
     *                     line of {@code sku}, when named); null: both
     */
    public record Filter(String codePrefix, String sku, Boolean hasUnitsLeft) {
    }

    public record Line(int lineNo, String sku, int quantity, int consumed, int remaining) {
    }

    public record Item(String code, String accountId, Instant createdAt, List<Line> lines, int unitsLeft, String self) {
    }

    private record Row(String code, String accountId, Instant createdAt) {
    }

    public Page<Item> list(Scope scope, Filter filter, Keyset cursor, int limit) {
        Sql sql = new Sql().eq("p.account_id", scope.accountId()).prefix("p.code", filter.codePrefix());
        String line = "select 1 from pak_line pl where pl.pak_code = p.code" + (filter.sku() == null ? "" : " and pl.sku = ?");
        Object[] sku = filter.sku() == null ? new Object[0] : new Object[] {filter.sku()};
        if (Boolean.TRUE.equals(filter.hasUnitsLeft())) {
            sql.and("exists (" + line + " and pl.consumed < pl.quantity)", sku);
        } else if (Boolean.FALSE.equals(filter.hasUnitsLeft())) {
            sql.and(filter.sku() == null ? "not exists (" + line + " and pl.consumed < pl.quantity)"
                    : "exists (" + line + " and pl.consumed >= pl.quantity)", sku);
        } else if (filter.sku() != null) {
            sql.and("exists (" + line + ")", sku);
        }
        sql.after("p.created_at", "p.code", cursor, cursor == null ? null : cursor.id());
        List<Row> rows = jdbc.query("select p.code, p.account_id, p.created_at from pak p" + sql.where()
                + " order by p.created_at desc, p.code desc fetch first " + (limit + 1) + " rows only",
                (rs, n) -> new Row(rs.getString("code"), rs.getString("account_id"), rs.getTimestamp("created_at").toInstant()), sql.args());
        Map<String, List<Line>> lines = lines(rows.stream().limit(limit).map(Row::code).toList());
        List<Item> items = rows.stream().map(r -> {
            List<Line> own = lines.getOrDefault(r.code(), List.of());
            String formatted = formatted(r.code());
            return new Item(formatted, r.accountId(), r.createdAt(), own, own.stream().mapToInt(Line::remaining).sum(),
                    "/api/v1/paks/" + formatted);
        }).toList();
        return Page.of(items, limit, LIST, i -> new Keyset(i.createdAt(), i.code().replace("-", "")));
    }

    private Map<String, List<Line>> lines(List<String> codes) {
        if (codes.isEmpty()) {
            return Map.of();
        }
        Sql sql = new Sql().in("pak_code", codes);
        Map<String, List<Line>> lines = new HashMap<>();
        jdbc.query("select pak_code, line_no, sku, quantity, consumed from pak_line" + sql.where() + " order by pak_code, line_no",
                rs -> {
                    lines.computeIfAbsent(rs.getString("pak_code"), c -> new ArrayList<>()).add(new Line(rs.getInt("line_no"),
                            rs.getString("sku"), rs.getInt("quantity"), rs.getInt("consumed"), rs.getInt("quantity") - rs.getInt("consumed")));
                }, sql.args());
        return lines;
    }

    /** The code as printed for people, in four groups of four (io.nodelock.pak.PakCode#formatted). */
    private static String formatted(String stored) {
        return stored.length() != 16 ? stored : stored.substring(0, 4) + "-" + stored.substring(4, 8) + "-" + stored.substring(8, 12)
                + "-" + stored.substring(12);
    }
}
