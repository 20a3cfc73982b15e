package io.nodelock.rehost;

import static io.nodelock.rehost.RehostStatus.*;
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

/** Rehosts, their permission tickets and redemptions. */
@Repository
public class Rehosts {

    private final JdbcTemplate jdbc;

    public Rehosts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored permission ticket (the signed file text in {@code content}). */
    public record StoredPermissionTicket(String id, UUID rehostId, String udi, List<String> licenseIds, Instant issuedAt,
                                         Instant expiresAt, String keyId, String content) {
    }

    Optional<Rehost> findByProcessInstance(String processInstanceId) {
        return jdbc.query("select * from rehost where process_instance_id = ?", Rehosts::map, processInstanceId).stream().findFirst();
    }

    Optional<Rehost> findByPermissionTicket(String permissionTicketId) {
        return jdbc.query("select * from rehost where permission_ticket_id = ?", Rehosts::map, permissionTicketId).stream().findFirst();
    }

    public Optional<Rehost> find(UUID id) {
        return jdbc.query("select * from rehost where id = ?", Rehosts::map, id).stream().findFirst();
    }

    /** License ids named by the open rehosts of a source device other than the given one. */
    List<String> licensesInOtherOpenRehosts(String sourceUdi, UUID except) {
        return jdbc.queryForList("select license_ids from rehost where source_udi = ? and id <> ? and " + statusIn(inProgress()),
                        String.class, args(inProgress(), sourceUdi, except)).stream()
                .flatMap(ids -> java.util.Arrays.stream(ids.split(","))).toList();
    }

    /** License ids named by the open (not yet ended) rehosts of a source device. */
    List<String> licensesInOpenRehosts(String sourceUdi) {
        return jdbc.queryForList("select license_ids from rehost where source_udi = ? and " + statusIn(inProgress()),
                        String.class, args(inProgress(), sourceUdi)).stream()
                .flatMap(ids -> Arrays.stream(ids.split(","))).toList();
    }

    void insert(Rehost r) {
        jdbc.update("insert into rehost (id, account_id, source_udi, email, license_ids, status, process_instance_id, created_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?)", r.id(), r.accountId(), r.sourceUdi().binding(), r.email(),
                String.join(",", r.licenseIds()), r.status().name(), r.processInstanceId(), Timestamp.from(r.createdAt()));
    }

    Optional<StoredPermissionTicket> permissionTicketOf(UUID rehostId) {
        return jdbc.query("select * from permission_ticket where rehost_id = ?", Rehosts::mapTicket, rehostId).stream().findFirst();
    }

    void insertPermissionTicket(StoredPermissionTicket t) {
        jdbc.update("insert into permission_ticket (id, rehost_id, udi, license_ids, issued_at, expires_at, key_id, content) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?)", t.id(), t.rehostId(), t.udi(), String.join(",", t.licenseIds()),
                Timestamp.from(t.issuedAt()), Timestamp.from(t.expiresAt()), t.keyId(), t.content());
        jdbc.update("update rehost set permission_ticket_id = ?, expires_at = ? where id = ?", t.id(),
                Timestamp.from(t.expiresAt()), t.rehostId());
    }

    boolean markAwaiting(UUID id) {
        return jdbc.update("update rehost set status = ? where id = ? and " + statusIn(AWAITING_REHOST_TICKET.reachableFrom()),
                args(AWAITING_REHOST_TICKET.reachableFrom(), AWAITING_REHOST_TICKET.name(), id)) == 1;
    }

    /** The redemption guard: throws DuplicateKeyException when this permission ticket was redeemed before. */
    void insertRedemption(String permissionTicketId, UUID rehostId, String destinationUdi, String rehostTicket, String actor,
                          Instant at) {
        jdbc.update("insert into rehost_redemption (permission_ticket_id, rehost_id, destination_udi, rehost_ticket, redeemed_by, "
                + "redeemed_at) values (?, ?, ?, ?, ?, ?)", permissionTicketId, rehostId, destinationUdi, rehostTicket, actor,
                Timestamp.from(at));
    }

    /** Also from EXPIRED: a rehost ticket revoked within the permission's validity may be uploaded late. */
    boolean markRedeemed(UUID id, String destinationUdi, Instant at) {
        return jdbc.update("update rehost set status = ?, destination_udi = ?, redeemed_at = ?, completed_at = null where id = ? and "
                + statusIn(REHOST_TICKET_RECEIVED.reachableFrom()), args(REHOST_TICKET_RECEIVED.reachableFrom(),
                REHOST_TICKET_RECEIVED.name(), destinationUdi, Timestamp.from(at), id)) == 1;
    }

    void markIssued(UUID id) {
        jdbc.update("update rehost set status = ?, completed_at = ? where id = ? and " + statusIn(ISSUED.reachableFrom()),
                args(ISSUED.reachableFrom(), ISSUED.name(), Timestamp.from(Instant.now()), id));
    }

    boolean markExpired(UUID id) {
        return jdbc.update("update rehost set status = ?, completed_at = ? where id = ? and " + statusIn(EXPIRED.reachableFrom()),
                args(EXPIRED.reachableFrom(), EXPIRED.name(), Timestamp.from(Instant.now()), id)) == 1;
    }

    boolean markRejected(UUID id, String code, String message) {
        return jdbc.update("update rehost set status = ?, rejection_code = ?, rejection_message = ?, completed_at = ? where id = ? and "
                + statusIn(REJECTED.reachableFrom()), args(REJECTED.reachableFrom(), REJECTED.name(), code, message,
                Timestamp.from(Instant.now()), id)) == 1;
    }

    static Rehost map(ResultSet rs, int row) throws SQLException {
        return new Rehost(rs.getObject("id", UUID.class), rs.getString("account_id"), Udi.parse(rs.getString("source_udi")),
                rs.getString("destination_udi") == null ? null : Udi.parse(rs.getString("destination_udi")), rs.getString("email"), List.of(rs.getString("license_ids").split(",")),
                RehostStatus.valueOf(rs.getString("status")), rs.getString("permission_ticket_id"), instant(rs, "expires_at"),
                rs.getString("rejection_code"), rs.getString("rejection_message"), rs.getString("process_instance_id"),
                instant(rs, "created_at"), instant(rs, "redeemed_at"), instant(rs, "completed_at"));
    }

    static StoredPermissionTicket mapTicket(ResultSet rs, int row) throws SQLException {
        return new StoredPermissionTicket(rs.getString("id"), rs.getObject("rehost_id", UUID.class), rs.getString("udi"),
                List.of(rs.getString("license_ids").split(",")), instant(rs, "issued_at"), instant(rs, "expires_at"),
                rs.getString("key_id"), rs.getString("content"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
