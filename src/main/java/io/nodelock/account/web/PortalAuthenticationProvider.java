package io.nodelock.account.web;

import io.nodelock.account.Account;
import io.nodelock.account.AccountUser;
import io.nodelock.account.AccountUserRole;
import io.nodelock.account.AccountUsers;
import io.nodelock.account.Accounts;
import io.nodelock.account.Passwords;
import io.nodelock.account.Role;
import io.nodelock.account.SignInGuard;
import io.nodelock.account.SignedInUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Signs a person in to the portal: a temporary lock for their name and address comes first, then the password
 * (Argon2id); an unknown name, a disabled person, a suspended or staff account all answer like a wrong password and
 * cost the same time, so the sign-in says nothing about who exists.
 */
class PortalAuthenticationProvider implements AuthenticationProvider {

    /** The authority of a principal that may only read (a viewer, or a read-scoped token). */
    static final String READ_ONLY = "READ_ONLY";

    private final AccountUsers users;
    private final Accounts accounts;
    private final Passwords passwords;
    private final SignInGuard guard;

    PortalAuthenticationProvider(AccountUsers users, Accounts accounts, Passwords passwords, SignInGuard guard) {
        this.users = users;
        this.accounts = accounts;
        this.passwords = passwords;
        this.guard = guard;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String email = AccountUsers.normalize(authentication.getName());
        String password = authentication.getCredentials() == null ? null : authentication.getCredentials().toString();
        String source = authentication.getDetails() instanceof WebAuthenticationDetails d ? d.getRemoteAddress() : null;
        Optional<Instant> locked = guard.lockedUntil(email, source);
        if (locked.isPresent()) {
            throw new LockedException(lockMessage(locked.get()));
        }
        Optional<AccountUser> user = users.findByEmail(email).filter(u -> u.status() == AccountUser.Status.ACTIVE);
        Optional<Account> account = user.flatMap(u -> accounts.find(u.accountId()))
                .filter(a -> a.roles().equals(EnumSet.of(Role.CUSTOMER)) && !accounts.suspended(a.id()));
        boolean ok;
        if (account.isEmpty()) {
            passwords.spendDecoyTime(password);
            ok = false;
        } else {
            ok = passwords.matches(password, users.passwordHashOf(user.get().id()).orElse(null));
        }
        if (!ok) {
            Optional<Instant> lock = guard.failed(email, source);
            if (lock.isPresent()) {
                throw new LockedException(lockMessage(lock.get()));
            }
            throw new BadCredentialsException("Wrong email or password.");
        }
        guard.succeeded(email, source);
        users.recordSignIn(user.get().id());
        SignedInUser principal = new SignedInUser(user.get(), account.get());
        UsernamePasswordAuthenticationToken result = UsernamePasswordAuthenticationToken.authenticated(principal, null,
                authorities(user.get().role()));
        result.setDetails(authentication.getDetails());
        return result;
    }

    static List<GrantedAuthority> authorities(AccountUserRole role) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority(Role.CUSTOMER.authority()));
        authorities.add(new SimpleGrantedAuthority(role.authority()));
        if (!role.mayWrite()) {
            authorities.add(new SimpleGrantedAuthority(READ_ONLY));
        }
        return authorities;
    }

    private static String lockMessage(Instant until) {
        return "Too many wrong passwords: signing in with this name from here is paused until " + until.truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS) + " (UTC). It ends by itself; you can also reset your password.";
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
