package io.nodelock.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodelock.audit.AuditLog;
import io.nodelock.device.DeviceTrust.Outcome;
import io.nodelock.licensefile.DeviceCertificate;
import io.nodelock.licensefile.DeviceCredential;
import io.nodelock.licensefile.ManufacturingAuthority;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.TicketSigner;
import io.nodelock.licensefile.Udi;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import io.nodelock.testsupport.TestPostgres;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The trust rule's settings, on the real schema in a fresh PostgreSQL database of their own: trust on first use switched
 * on for uncertified devices (the shared test context runs with the default, off), and what it never overrides. The
 * default runs through the API in RehostFlowIT.
 */
class DeviceTrustIT {

    @TempDir
    Path keys;

    JdbcTemplate jdbc;
    AuditLog auditLog;
    DeviceKeys deviceKeys;
    DeviceAuthority authority;
    Udi udi = Udi.parse("PID:C1111-4P,SN:FGL" + UUID.randomUUID().toString().substring(0, 8).toUpperCase());

    @BeforeEach
    void schema() {
        TestPostgres pg = TestPostgres.instance();
        DriverManagerDataSource db = new DriverManagerDataSource(pg.createDatabase("trust"), pg.username(), pg.password());
        Flyway.configure().dataSource(db).locations("classpath:db/migration", "classpath:db/vendor/postgresql").load().migrate();
        jdbc = new JdbcTemplate(db);
        auditLog = new AuditLog(jdbc, new TransactionTemplate(new DataSourceTransactionManager(db)));
        jdbc.update("insert into account (id, display_name, email, roles, created_at) values ('acme', 'Acme', 'a@acme.example', "
                + "'CUSTOMER', current_timestamp)");
        jdbc.update("insert into device (udi, product_id, serial_number, account_id, first_seen_at) values (?, ?, ?, 'acme', "
                + "current_timestamp)", udi.binding(), udi.productId(), udi.serialNumber());
        deviceKeys = new DeviceKeys(jdbc);
        authority = new DeviceAuthority(properties(false));
    }

    @Test
    void aFreshRunGeneratesTheAuthorityKeyOwnerOnlyAndKeepsIt() throws Exception {
        Path file = keys.resolve(DeviceAuthority.GENERATED_KEY_FILE);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(new DeviceAuthority(properties(false)).keyId()).isEqualTo(authority.keyId());
        assertThat(authority.toString()).doesNotContain(java.nio.file.Files.readString(file).lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void withTrustOnFirstUseTheFirstUncertifiedKeyIsRegisteredUntilACertifiedOneReplacesIt() {
        DeviceTrust trust = trust(true);
        SigningKey first = SigningKey.generate();
        assertThat(trust.judge("acme", credential(first, null)).outcome()).isEqualTo(Outcome.TRUSTED);
        assertThat(audit("device-key.registered")).isEqualTo(1);
        assertThat(trust.judge("acme", credential(SigningKey.generate(), null)).outcome()).isEqualTo(Outcome.KEY_MISMATCH);

        SigningKey certified = SigningKey.generate();
        DeviceCertificate certificate = authority.issue("T-1", udi, certified.publicKey());
        assertThat(trust.judge("acme", credential(certified, certificate)).outcome()).isEqualTo(Outcome.TRUSTED);
        assertThat(deviceKeys.findRecord(udi).orElseThrow().certified()).isTrue();
        assertThat(jdbc.queryForObject("select detail from audit_event where action = 'device-key.certified'", String.class))
                .contains("replacing the key " + first.keyId());

        // From now on the certified key wins, even over the key that was first, uncertified, and with the setting on.
        DeviceTrust.Decision earlier = trust.judge("acme", credential(first, null));
        assertThat(earlier.outcome()).isEqualTo(Outcome.KEY_MISMATCH);
        assertThat(earlier.key()).isEqualTo(certified.publicKey());
        // The same key with its certificate left off is still the device.
        assertThat(trust.judge("acme", credential(certified, null)).outcome()).isEqualTo(Outcome.TRUSTED);
        assertThat(trust(false).judge("acme", credential(certified, null)).outcome()).isEqualTo(Outcome.UNCERTIFIED);
    }

    @Test
    void aWrongCertificateIsRefusedWhateverTheSetting() throws Exception {
        SigningKey key = SigningKey.generate();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        DeviceCertificate foreign = new ManufacturingAuthority(SigningKey.generate()).issue("F-1", udi, key.publicKey(),
                now.minusSeconds(60), now.plusSeconds(3600));
        // The service's own authority (its generated key file), on a window that has ended.
        ManufacturingAuthority own = new ManufacturingAuthority(SigningKey.fromPkcs8Pem(java.nio.file.Files.readString(
                keys.resolve(DeviceAuthority.GENERATED_KEY_FILE))));
        assertThat(own.keyId()).isEqualTo(authority.keyId());
        DeviceCertificate expired = own.issue("T-2", udi, key.publicKey(), now.minusSeconds(7200), now.minusSeconds(3600));
        for (boolean tofu : List.of(true, false)) {
            DeviceTrust.Decision decision = trust(tofu).judge("acme", credential(key, foreign));
            assertThat(decision.outcome()).isEqualTo(Outcome.CERTIFICATE_REFUSED);
            assertThat(decision.message()).contains("UNKNOWN_ISSUER");
            DeviceTrust.Decision late = trust(tofu).judge("acme", credential(key, expired));
            assertThat(late.outcome()).isEqualTo(Outcome.CERTIFICATE_REFUSED);
            assertThat(late.message()).contains("EXPIRED");
        }
        assertThat(deviceKeys.findRecord(udi)).isEmpty();
    }

    @Test
    void aFurtherTrustedAuthorityCertifiesToo(@TempDir Path extra) throws Exception {
        SigningKey factoryKey = SigningKey.generate();
        Path pem = extra.resolve("factory.pem");
        java.nio.file.Files.writeString(pem, factoryKey.publicKey().toPem());
        DeviceAuthority withFactory = new DeviceAuthority(new DeviceProperties(false, new DeviceProperties.Authority(null, true, keys,
                List.of(pem), Duration.ofDays(1))));
        assertThat(withFactory.trustedKeys()).hasSize(2).first().isEqualTo(authority.publicKey());
        SigningKey key = SigningKey.generate();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        DeviceCertificate byFactory = new ManufacturingAuthority(factoryKey).issue("FAC-1", udi, key.publicKey(), now.minusSeconds(60),
                now.plusSeconds(3600));
        DeviceTrust trust = new DeviceTrust(deviceKeys, withFactory, new DeviceProperties(false, null), auditLog);
        assertThat(trust.judge("acme", credential(key, byFactory)).outcome()).isEqualTo(Outcome.TRUSTED);
        assertThat(deviceKeys.findRecord(udi).orElseThrow().certificateIssuer()).isEqualTo(factoryKey.keyId());
    }

    private DeviceTrust trust(boolean trustOnFirstUse) {
        return new DeviceTrust(deviceKeys, authority, properties(trustOnFirstUse), auditLog);
    }

    private DeviceProperties properties(boolean trustOnFirstUse) {
        return new DeviceProperties(trustOnFirstUse, new DeviceProperties.Authority(null, true, keys, List.of(), Duration.ofDays(1)));
    }

    private DeviceCredential credential(SigningKey key, DeviceCertificate certificate) {
        DeviceCredential signed = new TicketSigner(key).sign(DeviceCredential.of(udi, key.publicKey(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        return certificate == null ? signed : signed.withCertificate(certificate);
    }

    private int audit(String action) {
        return jdbc.queryForObject("select count(*) from audit_event where action = ?", Integer.class, action);
    }
}
