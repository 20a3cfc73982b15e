package io.nodelock.fulfillment;

import io.nodelock.licensefile.Udi;
import io.nodelock.pak.PakCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class Fulfillments {

    private final JdbcTemplate jdbc;

    public Fulfillments(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Fulfillment> find(UUID id) {
        return jdbc.query("select * from fulfillment where id = ?", Fulfillments::map, id).stream().findFirst();
    }

    Optional<Fulfillment> findByProcessInstance(String processInstanceId) {
        return jdbc.query("select * from fulfillment where process_instance_id = ?", Fulfillments::map, processInstanceId)
                .stream().findFirst();
    }

    Optional<Fulfillment> findByIdempotencyKey(String accountId, String key) {
        return jdbc.query("select * from fulfillment where account_id = ? and idempotency_key = ?", Fulfillments::map, accountId, key)
                .stream().findFirst();
    }

    Optional<String> fingerprint(UUID id) {
        return jdbc.queryForList("select request_fingerprint from fulfillment where id = ?", String.class, id).stream().findFirst();
    }

    void insert(Fulfillment f, String idempotencyKey, String fingerprint) {
        jdbc.update("insert into fulfillment (id, account_id, pak_code, sku, udi, email, eula_accepted, status, idempotency_key, "
                        + "request_fingerprint, process_instance_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                f.id(), f.accountId(), f.pakCode().formatted(), f.sku(), f.udi().toString(), f.email(), f.eulaAccepted(), f.status().name(),
                idempotencyKey, fingerprint, f.processInstanceId(), Timestamp.from(f.createdAt()));
    }

    /**
     * Stores a status change made by the aggregate, if the row still has the status it was read with: of two
     * concurrent changes, one wins and the other learns it lost.
     */
    boolean update(Fulfillment before, Fulfillment after) {
        return jdbc.update("update fulfillment set status = ?, rejection_code = ?, rejection_message = ?, completed_at = ? "
                        + "where id = ? and status = ?", after.status().name(), after.rejectionCode(), after.rejectionMessage(),
                after.completedAt() == null ? null : Timestamp.from(after.completedAt()), before.id(), before.status().name()) == 1;
    }

    static Fulfillment map(ResultSet rs, int row) throws SQLException {
        Timestamp completed = rs.getTimestamp("completed_at");
        return new Fulfillment(rs.getObject("id", UUID.class), rs.getString("account_id"), PakCode.parse(rs.getString("pak_code")),
                rs.getString("sku"), Udi.parse(rs.getString("udi")), rs.getString("email"), rs.getBoolean("eula_accepted"),
                FulfillmentStatus.valueOf(rs.getString("status")), rs.getString("rejection_code"), rs.getString("rejection_message"),
                rs.getString("process_instance_id"), rs.getTimestamp("created_at").toInstant(),
                completed == null ? null : completed.toInstant());
    }
}
