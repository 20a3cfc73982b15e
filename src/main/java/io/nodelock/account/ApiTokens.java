package io.nodelock.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
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

    private record Cached(Account account, long loadedAt) {
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

    public boolean isRegistered(String token) {
        Integer n = jdbc.queryForObject("select count(*) from api_token where token_hash = ?", Integer.class, hash(token));
        return n != null && n > 0;
    }

    /**
     * The account of a valid token. Throws a {@link DataAccessException} only when the token has not been verified
     * within {@link #STALE_LIMIT_NANOS} and the database cannot be asked.
     */
    public Optional<Account> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        String hash = hash(token);
        Cached cached = cache.get(hash);
        long now = System.nanoTime();
        if (cached != null && now - cached.loadedAt() < FRESH_NANOS) {
            return Optional.of(cached.account());
        }
        if (cached != null && now - cached.loadedAt() < STALE_LIMIT_NANOS) {
            refreshLater(hash);
            return Optional.of(cached.account());
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

    private Optional<Account> load(String hash, long now) {
        Optional<Account> account = jdbc.query("select a.* from api_token t join account a on a.id = t.account_id "
                        + "where t.token_hash = ? and t.revoked_at is null", Accounts::map, hash)
                .stream().findFirst();
        if (account.isPresent()) {
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(hash, new Cached(account.get(), now));
        } else {
            cache.remove(hash);
        }
        return account;
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
