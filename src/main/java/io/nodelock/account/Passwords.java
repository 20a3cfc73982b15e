package io.nodelock.account;

import java.util.Optional;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Hashes and checks customer passwords with Argon2id (Spring Security's current defaults: 16 MiB, 2 iterations,
 * 16-byte salt), and says what a new password lacks.
 */
@Component
public class Passwords {

    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;

    private final Argon2PasswordEncoder encoder = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
    /** Checked when the sign-in name is unknown, so an unknown name costs the same time as a wrong password. */
    private final String decoy = encoder.encode("decoy password that no one has");

    public String hash(String password) {
        return encoder.encode(password);
    }

    public boolean matches(String password, String hash) {
        return password != null && hash != null && encoder.matches(password, hash);
    }

    public void spendDecoyTime(String password) {
        encoder.matches(password == null ? "" : password, decoy);
    }

    /** Why a new password is refused, if it is. */
    public Optional<String> weakness(String password, String email) {
        if (password == null || password.length() < MIN_LENGTH) {
            return Optional.of("The password must have at least " + MIN_LENGTH + " characters.");
        }
        if (password.length() > MAX_LENGTH) {
            return Optional.of("The password must have at most " + MAX_LENGTH + " characters.");
        }
        if (email != null && password.trim().equalsIgnoreCase(email.trim())) {
            return Optional.of("The password must not be the sign-in name.");
        }
        if (password.chars().distinct().count() < 5) {
            return Optional.of("The password repeats too few characters: choose a longer, less regular one.");
        }
        return Optional.empty();
    }
}
