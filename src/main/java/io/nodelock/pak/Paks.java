package io.nodelock.pak;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class Paks {

    private final JdbcTemplate jdbc;

    public Paks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Pak> find(PakCode code) {
        return jdbc.query("select * from pak where code = ?", (rs, n) -> new Pak(code, rs.getString("account_id"),
                        rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"), lines(code)), code.value())
                .stream().findFirst();
    }

    public boolean exists(PakCode code) {
        Integer n = jdbc.queryForObject("select count(*) from pak where code = ?", Integer.class, code.value());
        return n != null && n > 0;
    }

    List<Pak.PakLine> lines(PakCode code) {
        return jdbc.query("select * from pak_line where pak_code = ? order by line_no", (rs, n) -> new Pak.PakLine(
                rs.getLong("id"), rs.getInt("line_no"), rs.getString("sku"), rs.getInt("quantity"), rs.getInt("consumed")),
                code.value());
    }

    void insert(Pak pak) {
        jdbc.update("insert into pak (code, account_id, created_at, created_by) values (?, ?, ?, ?)",
                pak.code().value(), pak.accountId(), Timestamp.from(pak.createdAt()), pak.createdBy());
        for (Pak.PakLine line : pak.lines()) {
            jdbc.update("insert into pak_line (pak_code, line_no, sku, quantity, consumed) values (?, ?, ?, ?, 0)",
                    pak.code().value(), line.lineNo(), line.sku(), line.quantity());
        }
    }

    /** Takes one unit if any is left; the row lock and the check constraint make this safe under concurrency. */
    boolean consumeOne(long lineId) {
        return jdbc.update("update pak_line set consumed = consumed + 1 where id = ? and consumed < quantity", lineId) == 1;
    }

    Optional<Long> redemptionLine(String fulfillmentId) {
        return jdbc.queryForList("select pak_line_id from pak_redemption where fulfillment_id = ?", Long.class,
                java.util.UUID.fromString(fulfillmentId)).stream().findFirst();
    }

    void recordRedemption(String fulfillmentId, long lineId) {
        jdbc.update("insert into pak_redemption (fulfillment_id, pak_line_id, units, redeemed_at) values (?, ?, 1, ?)",
                java.util.UUID.fromString(fulfillmentId), lineId, Timestamp.from(java.time.Instant.now()));
    }
}
