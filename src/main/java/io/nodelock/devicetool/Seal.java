package io.nodelock.devicetool;

import io.nodelock.licensefile.Ed25519;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.SigningKey;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seal of the persistence storage, kept in its own file: how many entries the log has, its chain head, the
 * last-seen time of the clock, and whether tampering was ever detected, signed with the device key.
 *
 * <p>The log's hash chain alone shows an edited or removed entry in the middle, but not a dropped tail, since the
 * shorter log is still a valid chain; and the clock file alone can simply be deleted. The signed seal ties both to the
 * device key: {@code NLSEAL1 entries=<n> head=<16 hex> lastseen=<instant> tampered=<instant|-> keyid=<kid>
 * sig=<base64url>}, signed over {@code "nodelock/device-seal/v1" LF <text before " sig=">}.
 */
public record Seal(long entries, String head, Instant lastSeen, Instant tampered, String keyId, byte[] signature) {

    public static final String FILE = "persistence.seal";
    static final String DOMAIN = "nodelock/device-seal/v1";
    private static final Pattern TEXT = Pattern.compile("NLSEAL1 entries=(0|[1-9][0-9]{0,17}) head=([0-9a-f]{16}) "
            + "lastseen=(\\S+) tampered=(\\S+) keyid=(\\S+) sig=([A-Za-z0-9_-]{86})");

    public static Seal sign(SigningKey key, long entries, String head, Instant lastSeen, Instant tampered) {
        Seal unsigned = new Seal(entries, head, lastSeen, tampered, key.keyId(), null);
        return new Seal(entries, head, lastSeen, tampered, key.keyId(),
                Ed25519.sign(key, unsigned.signingInput()));
    }

    /** Parses the file text; throws {@link IllegalArgumentException} if it is not a seal. */
    public static Seal parse(String text) {
        Matcher m = TEXT.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a NLSEAL1 line");
        }
        try {
            return new Seal(Long.parseLong(m.group(1)), m.group(2), Instant.parse(m.group(3)),
                    m.group(4).equals("-") ? null : Instant.parse(m.group(4)), m.group(5),
                    Base64.getUrlDecoder().decode(m.group(6)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad value: " + e.getMessage(), e);
        }
    }

    private String unsignedText() {
        return "NLSEAL1 entries=" + entries + " head=" + head + " lastseen=" + lastSeen + " tampered="
                + (tampered == null ? "-" : tampered) + " keyid=" + keyId;
    }

    String signingInput() {
        return DOMAIN + "\n" + unsignedText();
    }

    public String toText() {
        return unsignedText() + " sig=" + Base64.getUrlEncoder().withoutPadding().encodeToString(signature) + "\n";
    }

    public boolean verifies(PublicKeyInfo key) {
        return key.keyId().equals(keyId) && Ed25519.verify(key, signingInput(), signature);
    }
}
