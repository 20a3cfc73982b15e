package io.nodelock.resend;

import static io.nodelock.resend.ResendStatus.*;
import static io.nodelock.workflow.StatusGuard.args;
import static io.nodelock.workflow.StatusGuard.statusIn;

import io.nodelock.licensefile.Udi;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class Resends {

    private final JdbcTemplate jdbc;

    public Resends(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Resend> find(UUID id) {
        return jdbc.query("select * from license_resend where id = ?", Resends::map, id).stream().findFirst();
    }

    Optional<Resend> findByProcessInstance(String processInstanceId) {
        return jdbc.query("select * from license_resend where process_instance_id = ?", Resends::map, processInstanceId)
                .stream().findFirst();
    }

    /**
     * Resends of this UDI since {@code since} that were not refused, counted while the device's row is locked, so two
     * concurrent requests for one device cannot both take the last resend of the day.
     */
    int countSinceLocked(String udiBinding, Instant since) {
        jdbc.queryForList("select udi from device where udi = ? for update", String.class, udiBinding);
        Integer n = jdbc.queryForObject("select count(*) from license_resend where udi = ? and created_at >= ? and status <> ?",
                Integer.class, udiBinding, Timestamp.from(since), REJECTED.name());
        return n == null ? 0 : n;
    }

    void insert(Resend r) {
        jdbc.update("insert into license_resend (id, account_id, requested_by, channel, udi, status, process_instance_id, created_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?)", r.id(), r.accountId(), r.requestedBy(), r.channel(), r.udi().binding(),
                r.status().name(), r.processInstanceId(), Timestamp.from(r.createdAt()));
    }

    /** Stores the built file once: a replayed step keeps the first file. */
    boolean markIssued(UUID id, List<String> licenseIds, String content, String email) {
        return jdbc.update("update license_resend set status = ?, license_ids = ?, content = ?, email = ?, completed_at = ? "
                + "where id = ? and " + statusIn(ISSUED.reachableFrom()), args(ISSUED.reachableFrom(), ISSUED.name(),
                String.join(",", licenseIds), content, email, Timestamp.from(Instant.now()), id)) == 1;
    }

    boolean markRejected(UUID id, String code, String message) {
        return jdbc.update("update license_resend set status = ?, rejection_code = ?, rejection_message = ?, completed_at = ? "
                + "where id = ? and " + statusIn(REJECTED.reachableFrom()), args(REJECTED.reachableFrom(), REJECTED.name(), code,
                message, Timestamp.from(Instant.now()), id)) == 1;
    }

    static Resend map(ResultSet rs, int row) throws SQLException {
        String ids = rs.getString("license_ids");
        Timestamp completed = rs.getTimestamp("completed_at");
        return new Resend(rs.getObject("id", UUID.class), rs.getString("account_id"), rs.getString("requested_by"),
                rs.getString("channel"), Udi.parse(rs.getString("udi")), ResendStatus.valueOf(rs.getString("status")),
                rs.getString("email"), ids == null || ids.isEmpty() ? List.of() : Arrays.asList(ids.split(",")),
                rs.getString("content"), rs.getString("rejection_code"), rs.getString("rejection_message"),
                rs.getString("process_instance_id"), rs.getTimestamp("created_at").toInstant(),
                completed == null ? null : completed.toInstant());
    }
}
