package io.nodelock.license;

import io.nodelock.licensefile.LicenseLine;
import java.sql.Timestamp;
import java.time.Instant;
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

    public Optional<IssuedLicenseFile> fileOf(String fulfillmentId) {
        UUID id = UUID.fromString(fulfillmentId);
        return jdbc.query("select * from license_file where fulfillment_id = ?", (rs, n) -> new IssuedLicenseFile(
                fulfillmentId, rs.getString("content"), rs.getString("key_id"), rs.getTimestamp("created_at").toInstant(),
                jdbc.queryForList("select id from license where fulfillment_id = ? order by id", String.class, id)), id)
                .stream().findFirst();
    }

    public int countForUdi(String udiBinding) {
        Integer n = jdbc.queryForObject("select count(*) from license where udi = ?", Integer.class, udiBinding);
        return n == null ? 0 : n;
    }

    void insertFile(String fulfillmentId, String content, String keyId, Instant createdAt) {
        jdbc.update("insert into license_file (fulfillment_id, content, key_id, created_at) values (?, ?, ?, ?)",
                UUID.fromString(fulfillmentId), content, keyId, Timestamp.from(createdAt));
    }

    void insertLine(String fulfillmentId, String accountId, LicenseLine line, String text) {
        jdbc.update("insert into license (id, fulfillment_id, account_id, udi, feature, license_type, license_count, usage_days, "
                        + "not_before, not_after, issued_at, key_id, status, line) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?)",
                line.licenseId(), UUID.fromString(fulfillmentId), accountId, line.udi().binding(), line.feature(),
                line.type().name(), line.count(), line.usageDays(), ts(line.notBefore()), ts(line.notAfter()),
                Timestamp.from(line.issuedAt()), line.keyId(), text);
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
