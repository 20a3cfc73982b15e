package io.nodelock.rma;

import static io.nodelock.rma.RmaStatus.*;
import static io.nodelock.workflow.StatusGuard.args;
import static io.nodelock.workflow.StatusGuard.statusIn;

import io.nodelock.licensefile.Udi;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class Rmas {

    private final JdbcTemplate jdbc;

    public Rmas(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Rma> find(UUID id) {
        return jdbc.query("select * from rma where id = ?", Rmas::map, id).stream().findFirst();
    }

    Optional<Rma> findByProcessInstance(String processInstanceId) {
        return jdbc.query("select * from rma where process_instance_id = ?", Rmas::map, processInstanceId).stream().findFirst();
    }

    public Optional<Rma> findByFailedUdi(String failedUdi) {
        return jdbc.query("select * from rma where failed_udi = ?", Rmas::map, failedUdi).stream().findFirst();
    }

    int openRmas(String accountId) {
        Integer n = jdbc.queryForObject("select count(*) from rma where account_id = ? and " + statusIn(RmaStatus.open()),
                Integer.class, args(RmaStatus.open(), accountId));
        return n == null ? 0 : n;
    }

    /** The RMAs that made this UDI a replacement, most recent first. */
    List<Rma> asReplacement(String udi) {
        return jdbc.query("select * from rma where replacement_udi = ? order by created_at desc", Rmas::map, udi);
    }

    void insert(Rma rma) {
        jdbc.update("insert into rma (id, account_id, rma_number, failed_udi, replacement_udi, email, status, process_instance_id, "
                        + "created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rma.id(), rma.accountId(), rma.rmaNumber(), rma.failedUdi().binding(),
                rma.replacementUdi().binding(), rma.email(), rma.status().name(), rma.processInstanceId(), Timestamp.from(rma.createdAt()));
    }

    void markInReview(UUID id, String reason) {
        jdbc.update("update rma set status = ?, review_reason = ? where id = ? and " + statusIn(IN_REVIEW.reachableFrom()),
                args(IN_REVIEW.reachableFrom(), IN_REVIEW.name(), reason, id));
    }

    void markPolicyChecked(UUID id) {
        jdbc.update("update rma set policy_checked_at = ? where id = ? and policy_checked_at is null", Timestamp.from(Instant.now()), id);
    }

    /** The TAC decision of the review task, recorded once while that task completes; later calls change nothing. */
    boolean recordDecision(UUID id, String taskId, String reviewer, String decision, String comment) {
        return jdbc.update("update rma set review_task_id = ?, reviewed_by = ?, review_decision = ?, review_comment = ? "
                + "where id = ? and status = ? and review_task_id is null", taskId, reviewer, decision, comment, id, IN_REVIEW.name()) == 1;
    }

    void markIssued(UUID id) {
        jdbc.update("update rma set status = ?, completed_at = ? where id = ? and " + statusIn(ISSUED.reachableFrom()),
                args(ISSUED.reachableFrom(), ISSUED.name(), Timestamp.from(Instant.now()), id));
    }

    boolean markRejected(UUID id, String code, String message) {
        return jdbc.update("update rma set status = ?, rejection_code = ?, rejection_message = ?, completed_at = ? where id = ? and "
                + statusIn(REJECTED.reachableFrom()), args(REJECTED.reachableFrom(), REJECTED.name(), code, message,
                Timestamp.from(Instant.now()), id)) == 1;
    }

    static Rma map(ResultSet rs, int row) throws SQLException {
        Timestamp completed = rs.getTimestamp("completed_at");
        return new Rma(rs.getObject("id", UUID.class), rs.getString("account_id"), rs.getString("rma_number"),
                Udi.parse(rs.getString("failed_udi")), Udi.parse(rs.getString("replacement_udi")), rs.getString("email"),
                RmaStatus.valueOf(rs.getString("status")), rs.getString("review_reason"), rs.getString("reviewed_by"),
                rs.getString("review_comment"), rs.getString("rejection_code"), rs.getString("rejection_message"),
                rs.getString("process_instance_id"), rs.getTimestamp("created_at").toInstant(),
                completed == null ? null : completed.toInstant(),
                rs.getTimestamp("policy_checked_at") == null ? null : rs.getTimestamp("policy_checked_at").toInstant(),
                rs.getString("review_task_id"), rs.getString("review_decision"));
    }
}
