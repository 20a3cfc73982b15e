package io.nodelock.license;

import io.nodelock.catalogue.Sku;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.licensefile.Udi;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Turns a redeemed SKU into signed, node-locked license lines, one per feature of the SKU, stored with their file; also
 * reissues (RMA, rehost), temporary lines (evaluations, extensions) and migrations (upgrades, conversions).
 */
@Service
public class LicenseIssuer {

    private static final String ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SigningKeys keys;
    private final Licenses licenses;

    public LicenseIssuer(SigningKeys keys, Licenses licenses) {
        this.keys = keys;
        this.licenses = licenses;
    }

    /**
     * Signs and stores the license file of a fulfillment. Idempotent: a fulfillment that already has its file gets
     * that file back, so a redelivered signing step never issues a second set of licenses.
     */
    @Transactional
    public IssuedLicenseFile issue(String fulfillmentId, String accountId, Sku sku, Udi udi) {
        return issue(fulfillmentId, accountId, sku, udi, null);
    }

    /** Like {@link #issue(String, String, Sku, Udi)}, the lines naming the EULA version they were accepted under (if any). */
    @Transactional
    public IssuedLicenseFile issue(String fulfillmentId, String accountId, Sku sku, Udi udi, String eulaVersion) {
        Optional<IssuedLicenseFile> existing = licenses.fileOf(fulfillmentId);
        if (existing.isPresent()) {
            return existing.get();
        }
        Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return store(fulfillmentId, "FULFILLMENT", accountId, sku.id(), sign(sku, udi, eulaVersion, issuedAt), List.of(), issuedAt);
    }

    /**
     * Signs the lines of {@code sku} for {@code udi} as a license migration, each naming {@code replaced} as the license
     * it replaces, and moves every one of {@code superseded} (which includes {@code replaced}) from ACTIVE to
     * SUPERSEDED in the same transaction: the device never holds both as active. Idempotent per {@code issueId} like
     * {@link #issue}: a second call returns the first file and changes nothing. Fails, changing nothing, when one of
     * {@code superseded} is no longer active (moved by an RMA or rehost meanwhile).
     */
    @Transactional
    public IssuedLicenseFile migrate(String issueId, String accountId, Sku sku, Udi udi, String eulaVersion, License replaced,
                                     List<String> superseded) {
        Optional<IssuedLicenseFile> existing = licenses.fileOf(issueId);
        if (existing.isPresent()) {
            return existing.get();
        }
        if (!superseded.contains(replaced.id()) || !replaced.udi().equals(udi.binding())) {
            throw new IllegalArgumentException("migration " + issueId + " must supersede " + replaced.id() + " on its own device");
        }
        List<License> locked = licenses.findForUpdate(superseded, License.Status.ACTIVE);
        if (locked.size() != superseded.size()) {
            throw new IllegalStateException("migration " + issueId + ": only " + locked.size() + " of " + superseded
                    + " are still active; an RMA, rehost or revocation moved the rest");
        }
        Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<LicenseLine> lines = sign(sku, udi, eulaVersion, issuedAt);
        IssuedLicenseFile file = store(issueId, "MIGRATION", accountId, sku.id(), lines,
                java.util.Collections.nCopies(lines.size(), replaced.id()), issuedAt);
        licenses.retireAll(superseded, License.Status.SUPERSEDED);
        return file;
    }

    /** One signed line per feature of the SKU, with its type, count and period. */
    private List<LicenseLine> sign(Sku sku, Udi udi, String eulaVersion, Instant issuedAt) {
        LicenseType type = LicenseType.valueOf(sku.type().name());
        Instant notBefore = null;
        Instant notAfter = null;
        if (type == LicenseType.SUBSCRIPTION) {
            notBefore = issuedAt;
            notAfter = issuedAt.plus(Duration.ofDays(sku.termDays()));
        }
        List<LicenseLine> lines = new ArrayList<>();
        for (String feature : sku.features()) {
            LicenseLine unsigned = new LicenseLine(eulaVersion == null ? LicenseLine.FORMAT_VERSION : LicenseLine.FORMAT_VERSION_EULA,
                    newLicenseId(), feature, udi, type, sku.counted() ? sku.count() : 0, isUsageCounted(type) ? sku.usageDays() : 0,
                    notBefore, notAfter, issuedAt, keys.activeKeyId(), null, eulaVersion);
            lines.add(keys.signer().sign(unsigned));
        }
        return lines;
    }

    /**
     * Signs, for {@code target}, a license equivalent to each of {@code originals}: same feature, type, count and
     * terms (a subscription keeps its end date). Used by RMA and rehost; idempotent per {@code issueId} like
     * {@link #issue}. The caller retires the originals in the same transaction.
     */
    @Transactional
    public IssuedLicenseFile reissue(String issueId, String kind, String accountId, List<License> originals, Udi target) {
        Optional<IssuedLicenseFile> existing = licenses.fileOf(issueId);
        if (existing.isPresent()) {
            return existing.get();
        }
        if (originals.isEmpty()) {
            throw new IllegalArgumentException("nothing to reissue for " + kind + " " + issueId);
        }
        Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<LicenseLine> lines = new ArrayList<>();
        for (License original : originals) {
            // The EULA the original was accepted under still binds its reissue.
            String eula = LicenseLine.parse(original.line()).eulaVersion();
            LicenseLine unsigned = new LicenseLine(eula == null ? LicenseLine.FORMAT_VERSION : LicenseLine.FORMAT_VERSION_EULA,
                    newLicenseId(), original.feature(), target, original.type(), original.count(), original.usageDays(),
                    original.notBefore(), original.notAfter(), issuedAt, keys.activeKeyId(), null, eula);
            lines.add(keys.signer().sign(unsigned));
        }
        return store(issueId, kind, accountId, null, lines, originals.stream().map(License::id).toList(), issuedAt);
    }

    /**
     * Signs and stores one evaluation or extension line for {@code feature} on {@code udi}: {@code usageDays} days of
     * use, under the EULA version the customer accepted. Idempotent per {@code issueId} like {@link #issue}.
     */
    @Transactional
    public IssuedLicenseFile issueTemporary(String issueId, String kind, String accountId, String feature, Udi udi,
                                            LicenseType type, int usageDays, String eulaVersion) {
        Optional<IssuedLicenseFile> existing = licenses.fileOf(issueId);
        if (existing.isPresent()) {
            return existing.get();
        }
        if (!isUsageCounted(type)) {
            throw new IllegalArgumentException(type + " is not a temporary license type");
        }
        Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        LicenseLine unsigned = LicenseLine.builder().licenseId(newLicenseId()).feature(feature).udi(udi).type(type)
                .usageDays(usageDays).issuedAt(issuedAt).keyId(keys.activeKeyId()).eulaVersion(eulaVersion).build();
        return store(issueId, kind, accountId, null, List.of(keys.signer().sign(unsigned)), List.of(), issuedAt);
    }

    /** {@code sku}: what the lines were bought as; null for reissues (each keeps its original's) and temporary lines. */
    private IssuedLicenseFile store(String issueId, String kind, String accountId, String sku, List<LicenseLine> lines,
                                    List<String> replaces, Instant issuedAt) {
        String content = LicenseFile.format(lines);
        licenses.insertFile(issueId, kind, content, keys.activeKeyId(), issuedAt);
        for (int i = 0; i < lines.size(); i++) {
            licenses.insertLine(issueId, accountId, lines.get(i), replaces.isEmpty() ? null : replaces.get(i), sku);
        }
        // What fileOf reads back, without reading it: issuedAt has whole seconds, so it is stored exactly; ids by id.
        return new IssuedLicenseFile(issueId, content, keys.activeKeyId(), issuedAt,
                lines.stream().map(LicenseLine::licenseId).sorted().toList());
    }

    public Optional<IssuedLicenseFile> fileOf(String issueId) {
        return licenses.fileOf(issueId);
    }

    private static boolean isUsageCounted(LicenseType type) {
        return type == LicenseType.EVALUATION || type == LicenseType.EXTENSION;
    }

    static String newLicenseId() {
        StringBuilder id = new StringBuilder("NL-");
        for (int i = 0; i < 16; i++) {
            if (i == 8) {
                id.append('-');
            }
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }
}
