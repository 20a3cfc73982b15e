package io.nodelock.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The people of accounts, their sign-in links (stored as hashes) and their password hashes. */
@Repository
public class AccountUsers {

    private final JdbcTemplate jdbc;

    public AccountUsers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Sign-in names compare without case and surrounding spaces. */
    public static String normalize(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    public Optional<AccountUser> find(UUID id) {
        return jdbc.query("select * from account_user where id = ?", AccountUsers::map, id).stream().findFirst();
    }

    public Optional<AccountUser> findByEmail(String email) {
        return jdbc.query("select * from account_user where email = ?", AccountUsers::map, normalize(email)).stream().findFirst();
    }

    public List<AccountUser> ofAccount(String accountId) {
        return jdbc.query("select * from account_user where account_id = ? order by created_at, email", AccountUsers::map, accountId);
    }

    /** Throws DuplicateKeyException when the email is taken (by any account). */
    void insert(AccountUser u, String passwordHash) {
        jdbc.update("insert into account_user (id, account_id, email, display_name, role, status, password_hash, created_at, created_by) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?)", u.id(), u.accountId(), normalize(u.email()), u.displayName(), u.role().name(),
                u.status().name(), passwordHash, Timestamp.from(u.createdAt()), u.createdBy());
    }

    /** The password hash to check a sign-in against (Argon2id PHC string); empty until a password is chosen. */
    public Optional<String> passwordHashOf(UUID id) {
        return passwordHash(id);
    }

    /** Records a successful sign-in. */
    public void recordSignIn(UUID id) {
        signedIn(id, Instant.now());
    }

    Optional<String> passwordHash(UUID id) {
        return jdbc.queryForList("select password_hash from account_user where id = ?", String.class, id).stream()
                .filter(h -> h != null).findFirst();
    }

    void activate(UUID id, String displayName, String passwordHash) {
        jdbc.update("update account_user set status = 'ACTIVE', display_name = coalesce(?, display_name), password_hash = ? "
                + "where id = ? and status <> 'DISABLED'", displayName, passwordHash, id);
    }

    boolean setPassword(UUID id, String passwordHash) {
        return jdbc.update("update account_user set password_hash = ? where id = ? and status = 'ACTIVE'", passwordHash, id) == 1;
    }

    boolean update(UUID id, String accountId, AccountUserRole role, AccountUser.Status status) {
        return jdbc.update("update account_user set role = coalesce(?, role), status = coalesce(?, status) where id = ? and account_id = ?",
                role == null ? null : role.name(), status == null ? null : status.name(), id, accountId) == 1;
    }

    void signedIn(UUID id, Instant at) {
        jdbc.update("update account_user set last_sign_in_at = ? where id = ?", Timestamp.from(at), id);
    }

    long admins(String accountId) {
        Long n = jdbc.queryForObject("select count(*) from account_user where account_id = ? and role = 'ACCOUNT_ADMIN' "
                + "and status <> 'DISABLED'", Long.class, accountId);
        return n == null ? 0 : n;
    }

    // ---- links ----

    void insertLink(String tokenHash, UUID userId, String purpose, Instant createdAt, Instant expiresAt) {
        jdbc.update("insert into account_user_link (token_hash, user_id, purpose, created_at, expires_at) values (?, ?, ?, ?, ?)",
                tokenHash, userId, purpose, Timestamp.from(createdAt), Timestamp.from(expiresAt));
    }

    /** Marks an unused, unexpired link used and answers its user: exactly one caller gets it. */
    Optional<UUID> useLink(String tokenHash, String purpose, Instant now) {
        List<UUID> users = jdbc.queryForList("select user_id from account_user_link where token_hash = ? and purpose = ? "
                + "and used_at is null and expires_at > ?", UUID.class, tokenHash, purpose, Timestamp.from(now));
        if (users.isEmpty()) {
            return Optional.empty();
        }
        int used = jdbc.update("update account_user_link set used_at = ? where token_hash = ? and used_at is null",
                Timestamp.from(now), tokenHash);
        return used == 1 ? Optional.of(users.get(0)) : Optional.empty();
    }

    boolean linkCreatedSince(UUID userId, String purpose, Instant since) {
        Integer n = jdbc.queryForObject("select count(*) from account_user_link where user_id = ? and purpose = ? and created_at > ?",
                Integer.class, userId, purpose, Timestamp.from(since));
        return n != null && n > 0;
    }

    /** A new link of a purpose supersedes the older ones of that user. */
    void retireLinks(UUID userId, String purpose, Instant now) {
        jdbc.update("update account_user_link set used_at = ? where user_id = ? and purpose = ? and used_at is null",
                Timestamp.from(now), userId, purpose);
    }

    static AccountUser map(ResultSet rs, int row) throws SQLException {
        Timestamp last = rs.getTimestamp("last_sign_in_at");
        return new AccountUser(rs.getObject("id", UUID.class), rs.getString("account_id"), rs.getString("email"),
                rs.getString("display_name"), AccountUserRole.valueOf(rs.getString("role")),
                AccountUser.Status.valueOf(rs.getString("status")), rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by"), last == null ? null : last.toInstant());
    }
}
