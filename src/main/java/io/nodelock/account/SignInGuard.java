package io.nodelock.account;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Temporary locks after wrong passwords, per sign-in name and source address. A lock ends by itself after
 * {@link PortalProperties#lockDuration()}; attempts while locked are refused without being counted, so no one can
 * stretch a lock; and because the source is part of the key, a stranger's guesses never lock a person out where they
 * themselves sign in. Unknown names are counted like known ones, so the lock says nothing about who exists.
 */
@Component
public class SignInGuard {

    private final JdbcTemplate jdbc;
    private final PortalProperties properties;
    private final Clock clock;

    public SignInGuard(JdbcTemplate jdbc, PortalProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = Clock.systemUTC();
    }

    /** Until when this pair is locked, if it is now. */
    public Optional<Instant> lockedUntil(String email, String source) {
        Instant now = clock.instant();
        return jdbc.queryForList("select locked_until from sign_in_failure where email = ? and source = ?", Timestamp.class,
                        AccountUsers.normalize(email), source(source)).stream()
                .filter(t -> t != null).map(Timestamp::toInstant).filter(now::isBefore).findFirst();
    }

    /** Counts a wrong password; answers the lock it started, if this failure was the last one allowed. */
    public Optional<Instant> failed(String email, String source) {
        String name = AccountUsers.normalize(email);
        String from = source(source);
        Instant now = clock.instant();
        // A lock that has run out starts the count afresh.
        int updated = jdbc.update("update sign_in_failure set failures = case when locked_until is not null and locked_until <= ? "
                        + "then 1 else failures + 1 end, locked_until = case when locked_until is not null and locked_until <= ? then null "
                        + "else locked_until end, last_failure_at = ? where email = ? and source = ?",
                Timestamp.from(now), Timestamp.from(now), Timestamp.from(now), name, from);
        if (updated == 0) {
            try {
                jdbc.update("insert into sign_in_failure (email, source, failures, last_failure_at) values (?, ?, 1, ?)",
                        name, from, Timestamp.from(now));
            } catch (DuplicateKeyException race) {
                return failed(email, source);
            }
        }
        Instant until = now.plus(properties.lockDuration());
        int locked = jdbc.update("update sign_in_failure set locked_until = ? where email = ? and source = ? and failures >= ? "
                + "and locked_until is null", Timestamp.from(until), name, from, properties.maxFailures());
        return locked == 1 ? Optional.of(until) : Optional.empty();
    }

    public void succeeded(String email, String source) {
        jdbc.update("delete from sign_in_failure where email = ? and source = ?", AccountUsers.normalize(email), source(source));
    }

    private static String source(String source) {
        return source == null ? "unknown" : source.length() > 64 ? source.substring(0, 64) : source;
    }
}
