package io.nodelock.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * API tokens are shown once and stored only as SHA-256 hashes: a database leak does not leak working tokens.
 * A token is 256 random bits, so an unsalted fast hash is enough (nothing to brute-force).
 */
@Service
public class ApiTokens {

    public static final String PREFIX = "nlk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Every API call authenticates; a token verified within this time is not looked up again. Past it, the cached
     * account still answers while a background lookup refreshes (or drops) the entry, so a token revoked on another
     * node stops working there at most this long plus one request after the revocation.
     */
    private static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * The bound on serving a verified token without the database confirming it: what keeps operators able to read
     * metrics and health while the database does not answer. During such an outage a revocation made elsewhere takes
     * effect only when the database is back or this time has passed.
     */
    private static final long STALE_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(5);

    private static final Logger log = LoggerFactory.getLogger(ApiTokens.class);

    private record Cached(Account account, Scope scope, long loadedAt) {
    }

    /** What a token may do: {@code READ} only reads (GET), {@code WRITE} everything its account may. */
    public enum Scope {
        READ, WRITE;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Optional<Scope> parse(String text) {
            return java.util.Arrays.stream(values()).filter(s -> s.wire().equals(text)).findFirst();
        }
    }

    /** A valid token: its account and scope. */
    public record Valid(Account account, Scope scope) {
    }

    /** A token as its account's people see it: never its secret. {@code id} is the first 16 hex digits of its hash. */
    public record Listed(String id, String name, Scope scope, Instant createdAt, String createdBy, Instant lastUsedAt,
                         Instant revokedAt) {
    }

    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor refresher = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1_000), runnable -> {
                Thread thread = new Thread(runnable, "api-token-refresh");
                thread.setDaemon(true);
                return thread;
            });
    private final JdbcTemplate jdbc;
    private final Accounts accounts;

    public ApiTokens(JdbcTemplate jdbc, Accounts accounts) {
        this.jdbc = jdbc;
        this.accounts = accounts;
    }

    /** Issues a new token for the account; the returned plain text is never stored. */
    public String issue(String accountId, String label) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        register(accountId, label, token);
        return token;
    }

    /** Registers a token that was generated elsewhere (the default run keeps its demo tokens across restarts). */
    public void register(String accountId, String label, String token) {
        jdbc.update("insert into api_token (token_hash, account_id, label, created_at) values (?, ?, ?, ?)",
                hash(token), accountId, label, Timestamp.from(Instant.now()));
    }

    /** Issues a named, scoped token made by a person of the account; the plain text is shown to them once. */
    public Issued issue(String accountId, String name, Scope scope, String createdBy) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hash = hash(token);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        jdbc.update("insert into api_token (token_hash, account_id, label, scope, created_by, created_at) values (?, ?, ?, ?, ?, ?)",
                hash, accountId, name, scope.wire(), createdBy, Timestamp.from(now));
        return new Issued(new Listed(hash.substring(0, 16), name, scope, now, createdBy, null, null), token);
    }

    /** A token just issued: how it is listed, and its secret (this once). */
    public record Issued(Listed listed, String token) {
    }

    /** The account's tokens, newest first, revoked ones included (their revocation time says so). */
    public List<Listed> ofAccount(String accountId) {
        return jdbc.query("select * from api_token where account_id = ? order by created_at desc, token_hash", (rs, n) -> new Listed(
                rs.getString("token_hash").substring(0, 16), rs.getString("label"), Scope.parse(rs.getString("scope")).orElse(Scope.WRITE),
                rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"), instant(rs.getTimestamp("last_used_at")),
                instant(rs.getTimestamp("revoked_at"))), accountId);
    }

    /** Revokes one of the account's tokens by its listed id; false when the account has no such active token. */
    public boolean revoke(String accountId, String id) {
        if (id == null || !id.matches("[0-9a-f]{16}")) {
            return false;
        }
        List<String> hashes = jdbc.queryForList("select token_hash from api_token where account_id = ? and token_hash like ? "
                + "and revoked_at is null", String.class, accountId, id + "%");
        if (hashes.size() != 1) {
            return false;
        }
        cache.remove(hashes.get(0));
        return jdbc.update("update api_token set revoked_at = ? where token_hash = ? and revoked_at is null",
                Timestamp.from(Instant.now()), hashes.get(0)) == 1;
    }

    /** Drops the account's cached tokens, so the next call looks them up again (after a suspension). */
    public void forget(String accountId) {
        cache.values().removeIf(c -> c.account().id().equals(accountId));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    public boolean isRegistered(String token) {
        Integer n = jdbc.queryForObject("select count(*) from api_token where token_hash = ?", Integer.class, hash(token));
        return n != null && n > 0;
    }

    /**
     * The account of a valid token. Throws a {@link DataAccessException} only when the token has not been verified
     * within {@link #STALE_LIMIT_NANOS} and the database cannot be asked.
     */
    public Optional<Account> authenticate(String token) {
        return validate(token).map(Valid::account);
    }

    /** Like {@link #authenticate}, with the token's scope. */
    public Optional<Valid> validate(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        String hash = hash(token);
        Cached cached = cache.get(hash);
        long now = System.nanoTime();
        if (cached != null && now - cached.loadedAt() < FRESH_NANOS) {
            return Optional.of(new Valid(cached.account(), cached.scope()));
        }
        if (cached != null && now - cached.loadedAt() < STALE_LIMIT_NANOS) {
            refreshLater(hash);
            return Optional.of(new Valid(cached.account(), cached.scope()));
        }
        return load(hash, now);
    }

    private void refreshLater(String hash) {
        if (!refreshing.add(hash)) {
            return;
        }
        try {
            refresher.execute(() -> {
                try {
                    load(hash, System.nanoTime());
                } catch (DataAccessException e) {
                    log.warn("Cannot refresh a cached API token, database unavailable: {}", e.toString());
                } finally {
                    refreshing.remove(hash);
                }
            });
        } catch (RejectedExecutionException e) {
            // Refreshes are piling up (the database is stuck): the entry stays until its stale limit; a later call retries.
            refreshing.remove(hash);
        }
    }

    @PreDestroy
    void stopRefreshing() {
        refresher.shutdownNow();
    }

    private Optional<Valid> load(String hash, long now) {
        // A suspended account's tokens are refused like revoked ones, without being revoked.
        Optional<Valid> valid = jdbc.query("select a.*, t.scope from api_token t join account a on a.id = t.account_id "
                        + "where t.token_hash = ? and t.revoked_at is null and a.suspended_at is null",
                        (rs, n) -> new Valid(Accounts.map(rs, n), Scope.parse(rs.getString("scope")).orElse(Scope.WRITE)), hash)
                .stream().findFirst();
        if (valid.isPresent()) {
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(hash, new Cached(valid.get().account(), valid.get().scope(), now));
            // A token is looked up at most once per freshness period per node: cheap enough to keep "last used" honest.
            jdbc.update("update api_token set last_used_at = ? where token_hash = ?", Timestamp.from(Instant.now()), hash);
        } else {
            cache.remove(hash);
        }
        return valid;
    }

    public int revokeAll(String accountId) {
        cache.values().removeIf(c -> c.account().id().equals(accountId));
        return jdbc.update("update api_token set revoked_at = ? where account_id = ? and revoked_at is null",
                Timestamp.from(Instant.now()), accountId);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Accounts accounts() {
        return accounts;
    }
}
