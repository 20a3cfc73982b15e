package io.nodelock.migration;

import static io.nodelock.migration.MigrationStatus.*;
import static io.nodelock.workflow.StatusGuard.args;
import static io.nodelock.workflow.StatusGuard.statusIn;

import io.nodelock.licensefile.Udi;
import io.nodelock.pak.PakCode;
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

/** The rows of license migrations; every status change is guarded by the transitions {@link MigrationStatus} allows. */
@Repository
public class Migrations {

    private final JdbcTemplate jdbc;

    public Migrations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Migration> find(UUID id) {
        return jdbc.query("select * from license_migration where id = ?", Migrations::map, id).stream().findFirst();
    }

    Optional<Migration> findByProcessInstance(String processInstanceId) {
        return jdbc.query("select * from license_migration where process_instance_id = ?", Migrations::map, processInstanceId)
                .stream().findFirst();
    }

    /** The migration of this license that has not ended, if any. */
    Optional<Migration> findOpen(String licenseId) {
        return jdbc.query("select * from license_migration where open_license_id = ?", Migrations::map, licenseId).stream().findFirst();
    }

    /** The license's migrations, newest first. */
    List<Migration> ofLicense(String licenseId) {
        return jdbc.query("select * from license_migration where license_id = ? order by created_at desc, id desc", Migrations::map,
                licenseId);
    }

    /** Stores a new request; its open slot (unique) makes a concurrent second request for the same license fail. */
    void insert(Migration m) {
        jdbc.update("insert into license_migration (id, account_id, requested_by, license_id, udi, feature, from_sku, kind, to_sku, "
                        + "pak_code, eula_consent_id, eula_version, status, open_license_id, process_instance_id, created_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                m.id(), m.accountId(), m.requestedBy(), m.licenseId(), m.udi().binding(), m.feature(), m.fromSku(), m.kind().name(),
                m.toSku(), m.pakCode().value(), m.eulaConsentId(), m.eulaVersion(), m.status().name(), m.licenseId(),
                m.processInstanceId(), Timestamp.from(m.createdAt()));
    }

    /** The unit is redeemed: once; a replayed step changes nothing. */
    boolean markRedeemed(UUID id) {
        return jdbc.update("update license_migration set status = ? where id = ? and " + statusIn(REDEEMED.reachableFrom()),
                args(REDEEMED.reachableFrom(), REDEEMED.name(), id)) == 1;
    }

    /** The new line is signed: the migration ends, and the license's open slot is free again. */
    boolean markIssued(UUID id, String email, List<String> supersededIds) {
        return jdbc.update("update license_migration set status = ?, email = ?, superseded_ids = ?, open_license_id = null, "
                + "completed_at = ? where id = ? and " + statusIn(ISSUED.reachableFrom()), args(ISSUED.reachableFrom(), ISSUED.name(),
                email, String.join(",", supersededIds), Timestamp.from(Instant.now()), id)) == 1;
    }

    boolean markRejected(UUID id, String code, String message) {
        return jdbc.update("update license_migration set status = ?, rejection_code = ?, rejection_message = ?, open_license_id = null, "
                + "completed_at = ? where id = ? and " + statusIn(REJECTED.reachableFrom()), args(REJECTED.reachableFrom(),
                REJECTED.name(), code, message, Timestamp.from(Instant.now()), id)) == 1;
    }

    /** Records where the rejection mail went (the row is already REJECTED). */
    void recordEmail(UUID id, String email) {
        jdbc.update("update license_migration set email = ? where id = ? and email is null", email, id);
    }

    static Migration map(ResultSet rs, int row) throws SQLException {
        Timestamp completed = rs.getTimestamp("completed_at");
        String superseded = rs.getString("superseded_ids");
        return new Migration(rs.getObject("id", UUID.class), rs.getString("account_id"), rs.getString("requested_by"),
                rs.getString("license_id"), Udi.parse(rs.getString("udi")), rs.getString("feature"), rs.getString("from_sku"),
                MigrationKind.valueOf(rs.getString("kind")), rs.getString("to_sku"), PakCode.parse(rs.getString("pak_code")),
                rs.getObject("eula_consent_id", UUID.class), rs.getString("eula_version"), MigrationStatus.valueOf(rs.getString("status")),
                rs.getString("email"), superseded == null || superseded.isEmpty() ? List.of() : Arrays.asList(superseded.split(",")),
                rs.getString("rejection_code"), rs.getString("rejection_message"),
                rs.getString("process_instance_id"), rs.getTimestamp("created_at").toInstant(),
                completed == null ? null : completed.toInstant());
    }
}
