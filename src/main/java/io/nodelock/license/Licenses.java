package io.nodelock.license;

import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class Licenses {

    private final JdbcTemplate jdbc;

    public Licenses(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<IssuedLicenseFile> fileOf(String issueId) {
        UUID id = UUID.fromString(issueId);
        return jdbc.query("select * from license_file where issue_id = ?", (rs, n) -> new IssuedLicenseFile(
                issueId, rs.getString("content"), rs.getString("key_id"), rs.getTimestamp("created_at").toInstant(),
                jdbc.queryForList("select id from license where issue_id = ? order by id", String.class, id)), id)
                .stream().findFirst();
    }

    public Optional<License> find(String licenseId) {
        return jdbc.query("select * from license where id = ?", Licenses::map, licenseId).stream().findFirst();
    }

    /** The device's licenses in the given status, oldest first. */
    public List<License> ofDevice(String udiBinding, License.Status status) {
        return jdbc.query("select * from license where udi = ? and status = ? order by issued_at, id", Licenses::map,
                udiBinding, status.name());
    }

    /** Like {@link #ofDevice}, with the rows locked until the transaction ends. */
    public List<License> ofDeviceForUpdate(String udiBinding, License.Status status) {
        return jdbc.query("select * from license where udi = ? and status = ? order by issued_at, id for update", Licenses::map,
                udiBinding, status.name());
    }

    /** Locks and returns the given licenses that are still in {@code status}, in the given order. */
    public List<License> findForUpdate(Collection<String> ids, License.Status status) {
        List<License> found = new java.util.ArrayList<>();
        for (String id : ids) {
            found.addAll(jdbc.query("select * from license where id = ? and status = ? for update", Licenses::map, id, status.name()));
        }
        return found;
    }

    /**
     * Retires all of the given licenses or fails: if another transfer retired one meanwhile, the caller's transaction
     * must roll back rather than leave a license alive on two devices.
     */
    public void retireAll(Collection<String> licenseIds, License.Status status) {
        int changed = retire(licenseIds, status);
        if (changed != licenseIds.size()) {
            throw new IllegalStateException("only " + changed + " of " + licenseIds.size() + " licenses were still active; "
                    + "another transfer moved the rest");
        }
    }

    public int countForUdi(String udiBinding) {
        Integer n = jdbc.queryForObject("select count(*) from license where udi = ?", Integer.class, udiBinding);
        return n == null ? 0 : n;
    }

    /** Moves licenses from ACTIVE to another status; returns how many were still active (a second call changes none). */
    public int retire(Collection<String> licenseIds, License.Status status) {
        int changed = 0;
        for (String id : licenseIds) {
            changed += jdbc.update("update license set status = ? where id = ? and status = 'ACTIVE'", status.name(), id);
        }
        return changed;
    }

    void insertFile(String issueId, String kind, String content, String keyId, Instant createdAt) {
        jdbc.update("insert into license_file (issue_id, issue_kind, content, key_id, created_at) values (?, ?, ?, ?, ?)",
                UUID.fromString(issueId), kind, content, keyId, Timestamp.from(createdAt));
    }

    /**
     * Stores one signed line. {@code sku} is the SKU it was bought as; a reissue (null {@code sku}, a {@code replacesId})
     * keeps its original's, so inventory can filter every license by the SKU that was sold.
     */
    void insertLine(String issueId, String accountId, LicenseLine line, String replacesId, String sku) {
        String stored = sku != null || replacesId == null ? sku
                : jdbc.queryForList("select sku from license where id = ?", String.class, replacesId).stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
        jdbc.update("insert into license (id, issue_id, account_id, udi, feature, license_type, license_count, usage_days, "
                        + "not_before, not_after, issued_at, key_id, status, replaces_id, line, sku) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?)",
                line.licenseId(), UUID.fromString(issueId), accountId, line.udi().binding(), line.feature(),
                line.type().name(), line.count(), line.usageDays(), ts(line.notBefore()), ts(line.notAfter()),
                Timestamp.from(line.issuedAt()), line.keyId(), replacesId, line.toText(), stored);
    }

    static License map(ResultSet rs, int row) throws SQLException {
        return new License(rs.getString("id"), rs.getString("issue_id"), rs.getString("account_id"), rs.getString("udi"),
                rs.getString("feature"), LicenseType.valueOf(rs.getString("license_type")), rs.getInt("license_count"),
                rs.getInt("usage_days"), instant(rs.getTimestamp("not_before")), instant(rs.getTimestamp("not_after")),
                rs.getTimestamp("issued_at").toInstant(), rs.getString("key_id"), License.Status.valueOf(rs.getString("status")),
                rs.getString("replaces_id"), rs.getString("line"), rs.getString("sku"));
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
