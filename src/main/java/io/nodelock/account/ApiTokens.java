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
     * Every API call authenticates; remembering a valid token for a few seconds saves a query per request. A token
     * revoked on another node stays usable there for at most this long.
     */
    private static final long CACHE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    private record Cached(Account account, long loadedAt) {
    }

    private final java.util.concurrent.ConcurrentHashMap<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();
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

    public Optional<Account> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        String hash = hash(token);
        Cached cached = cache.get(hash);
        long now = System.nanoTime();
        if (cached != null && now - cached.loadedAt() < CACHE_NANOS) {
            return Optional.of(cached.account());
        }
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
