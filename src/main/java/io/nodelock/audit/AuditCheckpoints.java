package io.nodelock.audit;

import io.nodelock.license.SigningKeys;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Anchors the audit chain: every {@code nodelock.audit.checkpoint-interval} the chain's end (its sequence number and
 * hash) is signed with the service's signing key and stored. Whoever rewrites entries and recomputes every hash after
 * them still cannot reach a signed checkpoint's hash without the private key. Several nodes may anchor the same end;
 * the first one's checkpoint stays.
 */
@Service
@EnableConfigurationProperties(AuditProperties.class)
public class AuditCheckpoints implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditCheckpoints.class);

    /** One anchor: the chain's end at {@code createdAt}, signed by the key {@code keyId}. */
    public record Checkpoint(long seq, String entryHash, Instant createdAt, String keyId, String signature) {

        /** The signed text (after the domain {@link SigningKeys#AUDIT_CHECKPOINT_DOMAIN}). */
        public String text() {
            return "seq=" + seq + "\nhash=" + entryHash + "\nat=" + createdAt + "\n";
        }
    }

    private final JdbcTemplate jdbc;
    private final SigningKeys keys;
    private final AuditProperties properties;
    private ScheduledExecutorService timer;

    public AuditCheckpoints(JdbcTemplate jdbc, SigningKeys keys, AuditProperties properties) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.properties = properties;
    }

    /** Signs and stores a checkpoint of the chain's end now, unless it is anchored already; returns the end's checkpoint. */
    public Optional<Checkpoint> anchor() {
        record End(long seq, String hash) {
        }
        End end = jdbc.queryForObject("select seq, entry_hash from audit_chain_head where id = 1", (rs, n) -> new End(rs.getLong(1), rs.getString(2)));
        if (end.seq() == 0) {
            return Optional.empty();
        }
        Optional<Checkpoint> existing = at(end.seq());
        if (existing.isPresent()) {
            return existing;
        }
        Instant now = AuditChain.stored(Instant.now());
        Checkpoint unsigned = new Checkpoint(end.seq(), end.hash(), now, null, null);
        SigningKeys.Signed signed = keys.signAuditCheckpoint(unsigned.text());
        Checkpoint checkpoint = new Checkpoint(end.seq(), end.hash(), now, signed.keyId(), signed.signature());
        try {
            jdbc.update("insert into audit_checkpoint (seq, entry_hash, created_at, key_id, signature) values (?, ?, ?, ?, ?)",
                    checkpoint.seq(), checkpoint.entryHash(), Timestamp.from(checkpoint.createdAt()), checkpoint.keyId(), checkpoint.signature());
        } catch (DuplicateKeyException anotherNode) {
            return at(end.seq());
        }
        log.info("Audit chain anchored at entry {} by a checkpoint signed with key {}", checkpoint.seq(), checkpoint.keyId());
        return Optional.of(checkpoint);
    }

    public List<Checkpoint> all() {
        return jdbc.query("select seq, entry_hash, created_at, key_id, signature from audit_checkpoint order by seq", (rs, n) ->
                new Checkpoint(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5)));
    }

    public boolean signatureValid(Checkpoint checkpoint) {
        return keys.verifyAuditCheckpoint(checkpoint.keyId(), checkpoint.text(), checkpoint.signature());
    }

    private Optional<Checkpoint> at(long seq) {
        return jdbc.query("select seq, entry_hash, created_at, key_id, signature from audit_checkpoint where seq = ?", (rs, n) ->
                new Checkpoint(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5)), seq)
                .stream().findFirst();
    }

    @Override
    public synchronized void start() {
        long period = Math.max(1000, properties.checkpointInterval().toMillis());
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "audit-checkpoint");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                anchor();
            } catch (RuntimeException e) {
                log.warn("Could not anchor the audit chain; trying again in {}", properties.checkpointInterval(), e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
