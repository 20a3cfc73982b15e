package io.nodelock.account;

import io.nodelock.audit.AuditLog;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Customer accounts and their people: operators create and suspend accounts and invite their first admin; account
 * admins invite and manage their users; people accept invitations and reset passwords through single-use links that
 * are mailed to them (only their hashes are stored). Customers get no engine identity at any step.
 */
@Service
public class AccountAdministration {

    public static final String INVITATION = "INVITATION";
    public static final String RESET = "RESET";
    private static final Pattern ACCOUNT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.time.Duration RESET_INTERVAL = java.time.Duration.ofMinutes(5);

    private final Accounts accounts;
    private final AccountUsers users;
    private final ApiTokens tokens;
    private final Passwords passwords;
    private final ApplicationEventPublisher events;
    private final AuditLog audit;
    private final PortalProperties properties;
    private final JdbcTemplate jdbc;

    public AccountAdministration(Accounts accounts, AccountUsers users, ApiTokens tokens, Passwords passwords, ApplicationEventPublisher events,
                                 AuditLog audit, PortalProperties properties, JdbcTemplate jdbc) {
        this.accounts = accounts;
        this.users = users;
        this.tokens = tokens;
        this.passwords = passwords;
        this.events = events;
        this.audit = audit;
        this.properties = properties;
        this.jdbc = jdbc;
    }

    // ---- accounts (operators) ----

    @Transactional
    public Account createAccount(String operator, String id, String displayName, String email) {
        if (id == null || !ACCOUNT_ID.matcher(id).matches()) {
            throw AccountRefusal.invalid("id", "id must be 2 to 63 lower-case letters, digits or '-', starting with a letter or digit.");
        }
        if (displayName == null || displayName.isBlank() || displayName.length() > 200) {
            throw AccountRefusal.invalid("displayName", "displayName must be 1 to 200 characters.");
        }
        requireEmail("email", email);
        Account account = new Account(id, displayName.strip(), email.strip(), EnumSet.of(Role.CUSTOMER),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        try {
            accounts.create(account);
        } catch (DuplicateKeyException e) {
            throw new AccountRefusal(AccountRefusal.Kind.CONFLICT, AccountRefusal.ACCOUNT_EXISTS, "id", "Account " + id + " exists already.");
        }
        audit.record(operator, "account.created", subject(id), displayName + " <" + email.strip() + ">");
        return account;
    }

    /** Suspends a customer account: its tokens and people are refused until it is reactivated; nothing is deleted. */
    @Transactional
    public boolean suspend(String operator, String accountId, String reason) {
        customerAccount(accountId);
        int n = jdbc.update("update account set suspended_at = ? where id = ? and suspended_at is null", Timestamp.from(Instant.now()), accountId);
        tokens.forget(accountId);
        if (n == 1) {
            audit.record(operator, "account.suspended", subject(accountId), reason == null ? null : reason.strip());
        }
        return n == 1;
    }

    @Transactional
    public boolean reactivate(String operator, String accountId) {
        customerAccount(accountId);
        int n = jdbc.update("update account set suspended_at = null where id = ? and suspended_at is not null", accountId);
        if (n == 1) {
            audit.record(operator, "account.reactivated", subject(accountId), null);
        }
        return n == 1;
    }

    public boolean suspended(String accountId) {
        return accounts.suspended(accountId);
    }

    // ---- people ----

    /**
     * Invites a person to an account with a role and mails them a single-use link. Inviting someone invited before
     * (and not yet signed up) sends a new link and retires the old one.
     */
    @Transactional
    public AccountUser invite(String actor, String accountId, String email, AccountUserRole role) {
        customerAccount(accountId);
        requireEmail("email", email);
        if (role == null) {
            throw AccountRefusal.invalid("role", "role must be ACCOUNT_ADMIN, ACCOUNT_USER or ACCOUNT_VIEWER.");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        AccountUser user = users.findByEmail(email).map(existing -> {
            if (!existing.accountId().equals(accountId) || existing.status() != AccountUser.Status.INVITED) {
                throw new AccountRefusal(AccountRefusal.Kind.CONFLICT, AccountRefusal.USER_EXISTS, "email",
                        AccountUsers.normalize(email) + " has a sign-in already.");
            }
            users.update(existing.id(), accountId, role, null);
            return users.find(existing.id()).orElseThrow();
        }).orElseGet(() -> {
            AccountUser created = new AccountUser(UUID.randomUUID(), accountId, AccountUsers.normalize(email), null, role,
                    AccountUser.Status.INVITED, now, actor, null);
            try {
                users.insert(created, null);
            } catch (DuplicateKeyException race) {
                throw new AccountRefusal(AccountRefusal.Kind.CONFLICT, AccountRefusal.USER_EXISTS, "email", created.email() + " has a sign-in already.");
            }
            return created;
        });
        String token = link(user.id(), INVITATION, now, properties.invitationValidity());
        Account account = accounts.find(accountId).orElseThrow();
        events.publishEvent(new AccountMail("account-invitation-mail:" + user.id() + ":" + now.toEpochMilli(), subject(accountId), user.email(),
                "You are invited to " + account.displayName() + " on Nodelock", """
                Hello,

                %s invited you to the Nodelock licensing portal of %s, as %s.

                Choose your password and sign in here (the link works once, until %s):
                %s/portal/invitation.html#token=%s

                If you did not expect this, ignore this mail: nothing happens without the link.

                Nodelock Licensing
                """.formatted(actor, account.displayName(), describe(role), now.plus(properties.invitationValidity()).truncatedTo(ChronoUnit.MINUTES),
                properties.baseUrl().replaceAll("/+$", ""), token)));
        audit.record(actor, "account.user-invited", subject(accountId), user.email() + " as " + role);
        return user;
    }

    /**
     * A person who can sign in at once, with a password given here: for the default run's demo customer and for
     * tests. Does nothing when the address has a sign-in already. Real people come in through {@link #invite}.
     */
    @Transactional
    public AccountUser ensureActiveUser(String accountId, String email, String displayName, AccountUserRole role, String password,
                                        String createdBy) {
        Optional<AccountUser> existing = users.findByEmail(email);
        if (existing.isPresent()) {
            return existing.get();
        }
        customerAccount(accountId);
        passwords.weakness(password, email).ifPresent(w -> {
            throw AccountRefusal.invalid("password", w);
        });
        AccountUser user = new AccountUser(UUID.randomUUID(), accountId, AccountUsers.normalize(email), displayName, role,
                AccountUser.Status.ACTIVE, Instant.now().truncatedTo(ChronoUnit.MICROS), createdBy, null);
        users.insert(user, passwords.hash(password));
        audit.record(createdBy, "account.user-created", subject(accountId), user.email() + " as " + role);
        return user;
    }

    /** Accepts an invitation: sets the person's name and password; the link cannot be used again. */
    @Transactional
    public AccountUser acceptInvitation(String token, String displayName, String password) {
        AccountUser user = byLink(token, INVITATION, "invitation");
        if (displayName != null && displayName.length() > 200) {
            throw AccountRefusal.invalid("displayName", "displayName must be at most 200 characters.");
        }
        passwords.weakness(password, user.email()).ifPresent(w -> {
            throw AccountRefusal.invalid("password", w);
        });
        useLink(token, INVITATION, "invitation");
        users.activate(user.id(), displayName == null || displayName.isBlank() ? null : displayName.strip(), passwords.hash(password));
        audit.record("user:" + user.email(), "account.invitation-accepted", subject(user.accountId()), user.email());
        return users.find(user.id()).orElseThrow();
    }

    /**
     * Mails a reset link to an active person of an active account. Says nothing about whether the address is known:
     * the caller answers the same either way.
     */
    @Transactional
    public void requestPasswordReset(String email, String source) {
        Optional<AccountUser> user = users.findByEmail(email).filter(u -> u.status() == AccountUser.Status.ACTIVE)
                .filter(u -> !accounts.suspended(u.accountId()));
        if (user.isEmpty()) {
            return;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (users.linkCreatedSince(user.get().id(), RESET, now.minus(RESET_INTERVAL))) {
            // One reset mail per person per few minutes: the form cannot be used to flood someone's mailbox.
            return;
        }
        users.retireLinks(user.get().id(), RESET, now);
        String token = link(user.get().id(), RESET, now, properties.resetValidity());
        events.publishEvent(new AccountMail("account-reset-mail:" + user.get().id() + ":" + now.toEpochMilli(), subject(user.get().accountId()),
                user.get().email(), "Reset your Nodelock password", """
                Hello,

                Someone (from %s) asked to reset the password of %s on the Nodelock licensing portal.

                Choose a new password here (the link works once, until %s):
                %s/portal/reset.html#token=%s

                If it was not you, ignore this mail: your password stays as it is.

                Nodelock Licensing
                """.formatted(source == null ? "an unknown address" : source, user.get().email(),
                now.plus(properties.resetValidity()).truncatedTo(ChronoUnit.MINUTES), properties.baseUrl().replaceAll("/+$", ""), token)));
        audit.record("user:" + user.get().email(), "account.password-reset-requested", subject(user.get().accountId()), "from " + source);
    }

    @Transactional
    public AccountUser resetPassword(String token, String password) {
        AccountUser user = byLink(token, RESET, "password-reset");
        passwords.weakness(password, user.email()).ifPresent(w -> {
            throw AccountRefusal.invalid("password", w);
        });
        useLink(token, RESET, "password-reset");
        if (!users.setPassword(user.id(), passwords.hash(password))) {
            throw new AccountRefusal(AccountRefusal.Kind.CONFLICT, AccountRefusal.USER_DISABLED, null, "This sign-in is disabled.");
        }
        audit.record("user:" + user.email(), "account.password-reset", subject(user.accountId()), user.email());
        return user;
    }

    /** An account admin changes a person's role or disables or re-enables them; the last admin stays an admin. */
    @Transactional
    public AccountUser updateUser(SignedInUser admin, UUID userId, AccountUserRole role, Boolean disabled) {
        AccountUser user = users.find(userId).filter(u -> u.accountId().equals(admin.account().id())).orElseThrow(() ->
                new AccountRefusal(AccountRefusal.Kind.NOT_FOUND, AccountRefusal.USER_NOT_FOUND, null, "No user " + userId + " in your account."));
        boolean losesAdmin = user.role() == AccountUserRole.ACCOUNT_ADMIN
                && ((role != null && role != AccountUserRole.ACCOUNT_ADMIN) || Boolean.TRUE.equals(disabled));
        if (losesAdmin && users.admins(user.accountId()) <= 1) {
            throw new AccountRefusal(AccountRefusal.Kind.CONFLICT, AccountRefusal.LAST_ADMIN, "role", "The account needs at least one admin.");
        }
        AccountUser.Status status = disabled == null ? null : disabled ? AccountUser.Status.DISABLED
                : user.status() == AccountUser.Status.DISABLED ? (passwordSet(user) ? AccountUser.Status.ACTIVE : AccountUser.Status.INVITED) : null;
        users.update(userId, user.accountId(), role, status);
        audit.record(admin.actor(), "account.user-updated", subject(user.accountId()), user.email()
                + (role == null ? "" : " role " + role) + (disabled == null ? "" : disabled ? " disabled" : " enabled"));
        return users.find(userId).orElseThrow();
    }

    public List<AccountUser> usersOf(String accountId) {
        return users.ofAccount(accountId);
    }

    // ---- helpers ----

    private boolean passwordSet(AccountUser user) {
        return users.passwordHash(user.id()).isPresent();
    }

    private Account customerAccount(String accountId) {
        Account account = accounts.find(accountId).orElseThrow(() -> new AccountRefusal(AccountRefusal.Kind.NOT_FOUND, AccountRefusal.ACCOUNT_NOT_FOUND,
                "accountId", "No account " + accountId + "."));
        if (!account.roles().equals(EnumSet.of(Role.CUSTOMER))) {
            // Staff work through the engine's identities; a portal sign-in for them would be a second, weaker door.
            throw new AccountRefusal(AccountRefusal.Kind.CONFLICT, AccountRefusal.NOT_A_CUSTOMER_ACCOUNT, "accountId",
                    "Account " + accountId + " is a staff account: portal users and suspension are for customer accounts.");
        }
        return account;
    }

    private AccountUser byLink(String token, String purpose, String what) {
        String hash = hash(token);
        List<UUID> ids = jdbc.queryForList("select user_id from account_user_link where token_hash = ? and purpose = ? and used_at is null "
                + "and expires_at > ?", UUID.class, hash, purpose, Timestamp.from(Instant.now()));
        return ids.stream().findFirst().flatMap(users::find).filter(u -> u.status() != AccountUser.Status.DISABLED)
                .orElseThrow(() -> new AccountRefusal(AccountRefusal.Kind.INVALID, AccountRefusal.LINK_INVALID, "token", "This " + what
                        + " link is not valid: it was used already, has expired or was replaced by a newer one. Ask for a new one."));
    }

    private void useLink(String token, String purpose, String what) {
        if (users.useLink(hash(token), purpose, Instant.now()).isEmpty()) {
            throw new AccountRefusal(AccountRefusal.Kind.INVALID, AccountRefusal.LINK_INVALID, "token", "This " + what + " link was used already.");
        }
    }

    private String link(UUID userId, String purpose, Instant now, java.time.Duration validity) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        users.insertLink(hash(token), userId, purpose, now, now.plus(validity));
        return token;
    }

    private static void requireEmail(String field, String email) {
        if (email == null || email.strip().length() > 320 || !EMAIL.matcher(email.strip()).matches()) {
            throw AccountRefusal.invalid(field, field + " must be an address like name@example.com.");
        }
    }

    private static String describe(AccountUserRole role) {
        return switch (role) {
            case ACCOUNT_ADMIN -> "an account admin";
            case ACCOUNT_USER -> "a user";
            case ACCOUNT_VIEWER -> "a viewer (read only)";
        };
    }

    static String subject(String accountId) {
        return "account:" + accountId;
    }

    static String hash(String token) {
        // The same one-way digest as API tokens: 256 random bits need no salt or slow hash.
        return ApiTokens.hash(token == null ? "" : token);
    }
}
