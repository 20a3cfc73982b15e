package io.nodelock.eula;

import static io.nodelock.eula.EulaRefusals.*;

import io.nodelock.audit.AuditLog;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.catalogue.EulaText;
import io.nodelock.workflow.Refusal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The EULA versions of the catalogue, the check that a request accepts the current one, and the record of each
 * acceptance. Only the current version may be accepted: a consent is to the terms in force, and a client that
 * showed an earlier text must show the new one (the refusal names it) rather than have an outdated text recorded.
 * <p>
 * Refusals name the fields {@code eulaAccepted} and {@code eulaVersion}, the request fields every API that asks for
 * consent uses, and say which version to read and where.
 */
@Service
public class EulaConsents {

    /** Where a version's text is served: {@code TEXT_PATH + version}. */
    public static final String TEXT_PATH = "/api/v1/eulas/";
    /** The audit action of an acceptance. */
    public static final String AUDIT_ACCEPTED = "eula.accepted";

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    private static final int ACCEPTED_BY_MAX = 200;
    private static final int SUBJECT_MAX = 120;
    /** The audit trail's actor column. */
    private static final int ACTOR_MAX = 64;

    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final Map<String, Eula> versions;
    private final Eula current;

    public EulaConsents(Catalogue catalogue, JdbcTemplate jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
        Map<String, Eula> all = new LinkedHashMap<>();
        for (EulaText text : catalogue.eulas()) {
            all.put(text.version(), new Eula(text.version(), text.title(), text.text(), sha256(text.text())));
        }
        this.versions = Collections.unmodifiableMap(all);
        this.current = catalogue.currentEula().map(e -> versions.get(e.version())).orElse(null);
    }

    /**
     * The version to accept now.
     *
     * @throws IllegalStateException if the catalogue has no EULA (then nothing in it may need one: the catalogue's
     *                               checks refuse such a file)
     */
    public Eula current() {
        if (current == null) {
            throw new IllegalStateException("the catalogue defines no EULA (section 'eulas', docs/catalogue.md)");
        }
        return current;
    }

    public Optional<Eula> find(String version) {
        return Optional.ofNullable(version == null ? null : versions.get(version));
    }

    /** Every version, in the catalogue's order. */
    public List<Eula> all() {
        return List.copyOf(versions.values());
    }

    /**
     * Why a request does not accept the EULA, or empty if it accepts the current version. {@code accepted} is the
     * request's value as bound: only {@link Boolean#TRUE} is consent; {@code null}, {@code false}, {@code "true"},
     * {@code 1} or anything else is not (a boolean that is not JSON {@code true} is not consent).
     *
     * @param version the version the client says it showed and accepted
     */
    public Optional<Refusal> check(String version, Object accepted) {
        if (current == null) {
            return Optional.of(Refusal.of(EULA_UNKNOWN, "eulaVersion", "This service has no end-user license agreement "
                    + "to accept; nothing here can be granted with one."));
        }
        String read = " Read version " + current.version() + " (\"" + current.title() + "\") at " + TEXT_PATH
                + current.version() + " and send \"eulaVersion\": \"" + current.version() + "\" with \"eulaAccepted\": true.";
        if (!Boolean.TRUE.equals(accepted)) {
            return Optional.of(about(Refusal.of(EULA_NOT_ACCEPTED, "eulaAccepted", "The end-user license agreement must "
                    + "be accepted explicitly (\"eulaAccepted\": true)." + read)));
        }
        if (version == null || version.isBlank()) {
            return Optional.of(about(Refusal.of(EULA_UNKNOWN, "eulaVersion", "eulaVersion is missing: name the version "
                    + "of the end-user license agreement that was shown and accepted." + read)));
        }
        if (!versions.containsKey(version)) {
            String named = VERSION.matcher(version).matches() ? "There is no version '" + version + "'"
                    : "eulaVersion is not a version like " + current.version();
            return Optional.of(about(Refusal.of(EULA_UNKNOWN, "eulaVersion", named + " of the end-user license "
                    + "agreement." + read)));
        }
        if (!version.equals(current.version())) {
            return Optional.of(about(Refusal.of(EULA_OUTDATED, "eulaVersion", "Version " + version + " of the end-user "
                    + "license agreement is no longer the one to accept; version " + current.version()
                    + " replaced it." + read)));
        }
        return Optional.empty();
    }

    private Refusal about(Refusal refusal) {
        return refusal.with("eulaVersion", current.version()).with("eulaSha256", current.sha256())
                .with("eulaText", TEXT_PATH + current.version());
    }

    /**
     * Records an acceptance of {@code version} and files it in the audit trail, in the caller's transaction (there
     * must be one: the consent exists exactly when what it was given for does). Callers {@link #check} first.
     *
     * @param acceptedBy who accepted (through the API: the account of the token)
     * @param subject    what it was given for, e.g. {@code "evaluation:<uuid>"}; at most 120 characters
     * @throws IllegalArgumentException if the version is not the current one, or an argument is missing
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public EulaConsent record(String accountId, String acceptedBy, String version, ConsentOrigin origin, String subject) {
        require(accountId != null && !accountId.isBlank(), "accountId is missing");
        require(acceptedBy != null && !acceptedBy.isBlank() && acceptedBy.length() <= ACCEPTED_BY_MAX,
                "acceptedBy must be 1 to " + ACCEPTED_BY_MAX + " characters");
        require(subject != null && !subject.isBlank() && subject.length() <= SUBJECT_MAX,
                "subject must be 1 to " + SUBJECT_MAX + " characters");
        require(origin != null, "origin is missing");
        check(version, Boolean.TRUE).ifPresent(refusal -> {
            throw new IllegalArgumentException("cannot record consent to EULA version " + version + ": " + refusal.message());
        });
        Eula eula = versions.get(version);
        // Microseconds, as PostgreSQL stores them: the returned consent equals the one read back later.
        EulaConsent consent = new EulaConsent(UUID.randomUUID(), accountId, acceptedBy, eula.version(), eula.sha256(),
                Instant.now().truncatedTo(ChronoUnit.MICROS), origin, subject);
        jdbc.update("insert into eula_consent (id, account_id, accepted_by, eula_version, text_sha256, accepted_at, "
                        + "origin_channel, origin_address, origin_user_agent, subject) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                consent.id(), accountId, acceptedBy, eula.version(), eula.sha256(), Timestamp.from(consent.acceptedAt()),
                origin.channel(), origin.remoteAddress(), origin.userAgent(), subject);
        audit.record(acceptedBy.length() <= ACTOR_MAX ? acceptedBy : accountId, AUDIT_ACCEPTED, subject,
                "EULA " + eula.version() + " (sha256 " + eula.sha256() + ") accepted by " + acceptedBy + " for account "
                        + accountId + " via " + origin.channel() + " from " + Objects.toString(origin.remoteAddress(), "?")
                        + " (" + Objects.toString(origin.userAgent(), "no user agent") + "); consent " + consent.id());
        return consent;
    }

    /** The consents given for a subject, oldest first. */
    public List<EulaConsent> forSubject(String subject) {
        return jdbc.query("select * from eula_consent where subject = ? order by accepted_at, id", EulaConsents::map, subject);
    }

    /**
     * The account's latest recorded consent to this version, whatever it was given for. A manufacturing order
     * preinstalls a SKU that needs the EULA only under such a consent of the account (docs/manufacturing.md).
     */
    public Optional<EulaConsent> latestOfAccount(String accountId, String version) {
        return jdbc.query("select * from eula_consent where account_id = ? and eula_version = ? order by accepted_at desc, id "
                + "fetch first 1 rows only", EulaConsents::map, accountId, version).stream().findFirst();
    }

    public Optional<EulaConsent> consent(UUID id) {
        return jdbc.query("select * from eula_consent where id = ?", EulaConsents::map, id).stream().findFirst();
    }

    private static EulaConsent map(ResultSet rs, int row) throws SQLException {
        return new EulaConsent(rs.getObject("id", UUID.class), rs.getString("account_id"), rs.getString("accepted_by"),
                rs.getString("eula_version"), rs.getString("text_sha256"), rs.getTimestamp("accepted_at").toInstant(),
                new ConsentOrigin(rs.getString("origin_channel"), rs.getString("origin_address"),
                        rs.getString("origin_user_agent")), rs.getString("subject"));
    }

    /** SHA-256 of the text's UTF-8 bytes, lower-case hex. */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
