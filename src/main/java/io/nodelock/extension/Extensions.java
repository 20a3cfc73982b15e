package io.nodelock.extension;

import static io.nodelock.extension.ExtensionStatus.*;
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

/** Extension requests and their approval decisions. Every status change is guarded by the status it leaves. */
@Repository
public class Extensions {

    private final JdbcTemplate jdbc;

    public Extensions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Extension> find(UUID id) {
        return jdbc.query("select * from license_extension where id = ?", Extensions::map, id).stream().findFirst();
    }

    Optional<Extension> findByProcessInstance(String processInstanceId) {
        return jdbc.query("select * from license_extension where process_instance_id = ?", Extensions::map, processInstanceId)
                .stream().findFirst();
    }

    /** The open request for this feature on this device, if any. */
    Optional<Extension> findOpen(String udiBinding, String feature) {
        return jdbc.query("select * from license_extension where open_slot = ?", Extensions::map, udiBinding + " " + feature)
                .stream().findFirst();
    }

    /** Every request for this feature on this device, oldest first. */
    public List<Extension> ofDevice(String udiBinding, String feature) {
        return jdbc.query("select * from license_extension where udi = ? and feature = ? order by created_at", Extensions::map,
                udiBinding, feature);
    }

    /** The extensions of this feature on this device that were issued. */
    int issuedCount(String udiBinding, String feature) {
        Integer n = jdbc.queryForObject("select count(*) from license_extension where udi = ? and feature = ? and status = ?",
                Integer.class, udiBinding, feature, ISSUED.name());
        return n == null ? 0 : n;
    }

    void insert(Extension e) {
        jdbc.update("insert into license_extension (id, account_id, requested_by, udi, feature, base_license_id, days_requested, "
                        + "reason, email, eula_version, eula_consent_id, status, process_instance_id, created_at, open_slot) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                e.id(), e.accountId(), e.requestedBy(), e.udi().binding(), e.feature(), e.baseLicenseId(), e.daysRequested(),
                e.reason(), e.email(), e.eulaVersion(), e.eulaConsentId(), e.status().name(), e.processInstanceId(),
                Timestamp.from(e.createdAt()), e.openSlot());
    }

    /** Records the policy's verdict once; a replayed policy step changes nothing. */
    boolean recordPolicy(UUID id, String rule, String decision, String detail, boolean needsLead, int sequence) {
        return jdbc.update("update license_extension set policy_rule = ?, policy_decision = ?, policy_detail = ?, "
                        + "needs_lead_approval = ?, sequence = ?, policy_checked_at = ? where id = ? and policy_checked_at is null",
                rule, decision, detail, needsLead, sequence, Timestamp.from(Instant.now()), id) == 1;
    }

    void markAwaitingTac(UUID id) {
        move(id, AWAITING_TAC);
    }

    boolean markAwaitingLead(UUID id) {
        return move(id, AWAITING_LEAD);
    }

    boolean markEscalated(UUID id) {
        return jdbc.update("update license_extension set escalated_at = ? where id = ? and escalated_at is null and status = ?",
                Timestamp.from(Instant.now()), id, AWAITING_TAC.name()) == 1;
    }

    void markIssued(UUID id, int daysGranted) {
        jdbc.update("update license_extension set status = ?, days_granted = ?, completed_at = ?, open_slot = null where id = ? and "
                + statusIn(ISSUED.reachableFrom()), args(ISSUED.reachableFrom(), ISSUED.name(), daysGranted,
                Timestamp.from(Instant.now()), id));
    }

    boolean markRejected(UUID id, String code, String message) {
        return jdbc.update("update license_extension set status = ?, rejection_code = ?, rejection_message = ?, completed_at = ?, "
                + "open_slot = null where id = ? and " + statusIn(REJECTED.reachableFrom()), args(REJECTED.reachableFrom(),
                REJECTED.name(), code, message, Timestamp.from(Instant.now()), id)) == 1;
    }

    /** Ends an open request whose process instance an operator cancelled, releasing its open slot. */
    boolean markCancelled(UUID id, String message) {
        return jdbc.update("update license_extension set status = ?, rejection_code = ?, rejection_message = ?, completed_at = ?, "
                + "open_slot = null where id = ? and " + statusIn(CANCELLED.reachableFrom()), args(CANCELLED.reachableFrom(),
                CANCELLED.name(), "CANCELLED", message, Timestamp.from(Instant.now()), id)) == 1;
    }

    private boolean move(UUID id, ExtensionStatus next) {
        return jdbc.update("update license_extension set status = ? where id = ? and " + statusIn(next.reachableFrom()),
                args(next.reachableFrom(), next.name(), id)) == 1;
    }

    /**
     * Records a round's decision while its task completes. The primary key (one per round) and the unique task id keep
     * it single: a second decision for a round fails, and with it the completion that tried.
     */
    void recordDecision(UUID id, ExtensionDecision d) {
        jdbc.update("insert into extension_decision (extension_id, round, task_id, decided_by, decision, days, comment, "
                        + "decided_at) values (?, ?, ?, ?, ?, ?, ?, ?)", id, d.round(), d.taskId(),
                d.decidedBy(), d.decision(), d.days(), d.comment(), Timestamp.from(d.decidedAt()));
    }

    public List<ExtensionDecision> decisions(UUID id) {
        return jdbc.query("select * from extension_decision where extension_id = ? order by round", (rs, n) -> new ExtensionDecision(
                rs.getInt("round"), rs.getString("task_id"), rs.getString("decided_by"), rs.getString("decision"),
                (Integer) rs.getObject("days"), rs.getString("comment"), rs.getTimestamp("decided_at").toInstant()), id);
    }

    static Extension map(ResultSet rs, int row) throws SQLException {
        return new Extension(rs.getObject("id", UUID.class), rs.getString("account_id"), rs.getString("requested_by"),
                Udi.parse(rs.getString("udi")), rs.getString("feature"), rs.getString("base_license_id"), rs.getInt("days_requested"),
                rs.getString("reason"), rs.getString("email"), rs.getString("eula_version"), rs.getObject("eula_consent_id", UUID.class),
                ExtensionStatus.valueOf(rs.getString("status")), rs.getString("policy_rule"), rs.getString("policy_decision"),
                rs.getString("policy_detail"), (Boolean) rs.getObject("needs_lead_approval"), (Integer) rs.getObject("sequence"),
                instant(rs, "policy_checked_at"), instant(rs, "escalated_at"), (Integer) rs.getObject("days_granted"),
                rs.getString("rejection_code"), rs.getString("rejection_message"), rs.getString("process_instance_id"),
                rs.getTimestamp("created_at").toInstant(), instant(rs, "completed_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
