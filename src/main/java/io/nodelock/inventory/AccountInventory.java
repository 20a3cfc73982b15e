package io.nodelock.inventory;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Accounts, for operators: who the service serves, newest first. */
@Repository
public class AccountInventory {

    public static final String LIST = "accounts";

    private final JdbcTemplate jdbc;

    public AccountInventory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Item(String id, String displayName, String email, Instant createdAt) {
    }

    public Page<Item> list(Keyset cursor, int limit) {
        Sql sql = new Sql().after("a.created_at", "a.id", cursor, cursor == null ? null : cursor.id());
        List<Item> rows = jdbc.query("select a.id, a.display_name, a.email, a.created_at from account a" + sql.where()
                + " order by a.created_at desc, a.id desc fetch first " + (limit + 1) + " rows only", (rs, n) -> new Item(
                rs.getString("id"), rs.getString("display_name"), rs.getString("email"), rs.getTimestamp("created_at").toInstant()),
                sql.args());
        return Page.of(rows, limit, LIST, i -> new Keyset(i.createdAt(), i.id()));
    }
}
