package io.nodelock.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Appends audit events in the caller's transaction, so an event exists exactly when the step it describes committed.
 * Details never contain secrets (tokens, keys, passwords).
 */
@Service
public class AuditLog {

    /** The actor of steps the engine's workers carry out. */
    public static final String SYSTEM = "system";

    private final JdbcTemplate jdbc;

    public AuditLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String actor, String action, String subject, String detail) {
        jdbc.update("insert into audit_event (occurred_at, actor, action, subject, detail) values (?, ?, ?, ?, ?)",
                Timestamp.from(Instant.now()), actor, action, subject, detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000));
    }

    public List<AuditEvent> forSubject(String subject, int limit) {
        return jdbc.query("select * from audit_event where subject = ? order by id fetch first " + Math.max(1, Math.min(limit, 1000))
                + " rows only", (rs, n) -> new AuditEvent(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(),
                rs.getString("actor"), rs.getString("action"), rs.getString("subject"), rs.getString("detail")), subject);
    }
}
