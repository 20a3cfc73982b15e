package io.nodelock.licensefile;

import io.nodelock.licensefile.BundleFormatException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the factory hands one device (format v1, see {@code docs/device-identity.md}): its UDI, its device private key,
 * its identity certificate, the manufacturing authorities' public keys it is to trust, and optionally preinstalled
 * license lines. A secret file: it holds the device's private key.
 *
 * <pre>
 * NLMB1 udi=&lt;udi&gt; authorities=&lt;n&gt; licenses=&lt;m&gt;
 * -----BEGIN PRIVATE KEY-----          the device key, PKCS#8 PEM as in the device's device-key.pem
 * ...
 * -----END PRIVATE KEY-----
 * NLDI1 serial=... sig=...             the device certificate
 * -----BEGIN PUBLIC KEY-----           n authority keys, SubjectPublicKeyInfo PEM
 * ...
 * -----END PUBLIC KEY-----
 * NLIC1 ... / NLIC2 ...                m license lines
 * </pre>
 *
 * <p>Parsing checks form only; {@link #check(Instant)} checks that the parts belong together.
 */
public final class ManufacturingBundle {

    public static final String PREFIX = "NLMB1";
    public static final int MAX_AUTHORITIES = 16;
    public static final int MAX_LICENSES = 1000;
    static final String KIND = "bundle first row";
    static final String[] FIELDS = {"udi", "authorities", "licenses"};
    private static final Pattern COUNT = Pattern.compile("0|[1-9][0-9]{0,3}");
    private static final Pattern BASE64_ROW = Pattern.compile("[A-Za-z0-9+/=]+");
    private static final Pattern OTHER_VERSION = Pattern.compile("NLMB[0-9]+");

    private final Udi udi;
    private final SigningKey deviceKey;
    private final DeviceCertificate certificate;
    private final List<PublicKeyInfo> authorities;
    private final List<LicenseLine> licenses;

    private ManufacturingBundle(Udi udi, SigningKey deviceKey, DeviceCertificate certificate,
            List<PublicKeyInfo> authorities, List<LicenseLine> licenses) {
        this.udi = udi;
        this.deviceKey = deviceKey;
        this.certificate = certificate;
        this.authorities = authorities;
        this.licenses = licenses;
    }

    /**
     * Assembles a bundle. Checks form only (counts, distinct authorities, a signed certificate); whether the
     * certificate fits the UDI and key is {@link #check(Instant)}'s business, so a misfit bundle can be written and
     * shown to be refused.
     */
    public static ManufacturingBundle of(Udi udi, SigningKey deviceKey, DeviceCertificate certificate,
            List<PublicKeyInfo> authorities, List<LicenseLine> licenses) {
        SignedText.require(udi != null, "udi is required");
        SignedText.require(deviceKey != null, "deviceKey is required");
        SignedText.require(certificate != null && certificate.signature() != null,
                "a signed device certificate is required");
        SignedText.require(authorities != null && !authorities.isEmpty() && authorities.size() <= MAX_AUTHORITIES,
                "1 to " + MAX_AUTHORITIES + " authority keys are required");
        SignedText.require(licenses != null && licenses.size() <= MAX_LICENSES,
                "at most " + MAX_LICENSES + " license lines");
        for (int i = 0; i < authorities.size(); i++) {
            PublicKeyInfo a = Objects.requireNonNull(authorities.get(i), "authority");
            SignedText.require(authorities.indexOf(a) == i, "authority key " + a.keyId() + " is listed twice");
            SignedText.require(!a.equals(deviceKey.publicKey()),
                    "the device's own key " + a.keyId() + " cannot be an authority");
        }
        for (LicenseLine l : licenses) {
            SignedText.require(l != null, "license line is null");
        }
        return new ManufacturingBundle(udi, deviceKey, certificate, List.copyOf(authorities), List.copyOf(licenses));
    }

    public Udi udi() {
        return udi;
    }

    public SigningKey deviceKey() {
        return deviceKey;
    }

    public DeviceCertificate certificate() {
        return certificate;
    }

    public List<PublicKeyInfo> authorities() {
        return authorities;
    }

    public List<LicenseLine> licenses() {
        return licenses;
    }

    /**
     * Whether the parts belong together at {@code now}: the certificate is issued by one of the bundle's
     * authorities, its signature verifies, it names the bundle's UDI (PID+SN) and the bundle's device key, and it is
     * valid. Exactly {@link DeviceCertificateVerifier#verifyFor} with the bundle's own authorities.
     */
    public CertificateVerification check(Instant now) {
        return new DeviceCertificateVerifier(authorities).verifyFor(certificate, udi, deviceKey.publicKey(), now);
    }

    /** The license lines with the bundle rows they are written on, for per-row install reports. */
    public List<LicenseFile.Entry> licenseEntries() {
        int row = 1 + rows(pem(deviceKey.toPkcs8Pem())) + 1;
        for (PublicKeyInfo a : authorities) {
            row += rows(pem(a.toPem()));
        }
        List<LicenseFile.Entry> entries = new ArrayList<>();
        for (LicenseLine l : licenses) {
            entries.add(new LicenseFile.Entry(++row, l));
        }
        return entries;
    }

    /** The one canonical text: every row LF-terminated, PEM in 64-column rows. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(PREFIX).append(" udi=").append(udi).append(" authorities=").append(authorities.size())
                .append(" licenses=").append(licenses.size()).append('\n');
        sb.append(pem(deviceKey.toPkcs8Pem()));
        sb.append(certificate.toText()).append('\n');
        for (PublicKeyInfo a : authorities) {
            sb.append(pem(a.toPem()));
        }
        for (LicenseLine l : licenses) {
            sb.append(l.toText()).append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ parsing

    /** Parses a bundle as read from a file: bytes outside ASCII are {@code BAD_CHARACTER} with their row. */
    public static ManufacturingBundle parse(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        int row = 1;
        int column = 1;
        for (byte b : bytes) {
            if (b < 0) {
                throw new BundleFormatException(Reason.BAD_CHARACTER, row, String.format(
                        "byte 0x%02X at column %d is not ASCII; a bundle is ASCII text", b & 0xff, column));
            }
            if (b == '\n') {
                row++;
                column = 1;
            } else {
                column++;
            }
        }
        return parse(new String(bytes, StandardCharsets.US_ASCII));
    }

    /** Parses the one canonical text of {@link #toText()}; anything else is a {@link BundleFormatException}. */
    public static ManufacturingBundle parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new BundleFormatException(Reason.EMPTY, 0, "bundle is empty");
        }
        checkCharacters(text);
        if (!text.endsWith("\n")) {
            int last = (int) text.chars().filter(c -> c == '\n').count() + 1;
            throw new BundleFormatException(Reason.TRUNCATED, last,
                    "the last row has no terminating LF; the bundle was cut off");
        }
        Rows rows = new Rows(text.substring(0, text.length() - 1).split("\n", -1));

        // Row 1: the bundle's own line.
        String first = rows.peek();
        String prefix = first.contains(" ") ? first.substring(0, first.indexOf(' ')) : first;
        if (!prefix.equals(PREFIX)) {
            if (OTHER_VERSION.matcher(prefix).matches()) {
                throw new BundleFormatException(Reason.UNSUPPORTED_VERSION, 1, "unsupported bundle version '"
                        + prefix + "'; this reader understands " + PREFIX + " only");
            }
            throw new BundleFormatException(Reason.BAD_PREFIX, 1, "a bundle starts with '" + PREFIX
                    + " udi=...', found '" + shorten(first) + "'");
        }
        Map<String, String> f;
        Udi udi;
        try {
            f = SignedText.split(KIND, PREFIX, first, FIELDS);
            udi = SignedText.udi(KIND, f.get("udi"));
        } catch (TicketFormatException e) {
            throw new BundleFormatException(Reason.BAD_HEADER, 1, e.getMessage(), e);
        }
        int authorityCount = count(f.get("authorities"), "authorities", 1, MAX_AUTHORITIES);
        int licenseCount = count(f.get("licenses"), "licenses", 0, MAX_LICENSES);
        rows.next();

        // The device key.
        int keyRow = rows.number();
        String keyPem = rows.pem("PRIVATE KEY", "the device private key");
        SigningKey deviceKey;
        try {
            deviceKey = SigningKey.fromPkcs8Pem(keyPem);
        } catch (IllegalArgumentException e) {
            throw new BundleFormatException(Reason.BAD_PRIVATE_KEY, keyRow, "device private key: " + e.getMessage(),
                    e);
        }
        canonical(keyPem, deviceKey.toPkcs8Pem(), keyRow, "PRIVATE KEY block (PKCS#8 v1, without public key)");

        // The certificate.
        int certRow = rows.number();
        String certText = rows.expect("NLDI", "the device certificate (" + DeviceCertificate.PREFIX
                + " serial=...)");
        DeviceCertificate certificate;
        try {
            certificate = DeviceCertificate.parse(certText);
        } catch (TicketFormatException e) {
            throw new BundleFormatException(Reason.BAD_CERTIFICATE, certRow, e.getMessage(), e);
        }

        // The authorities.
        List<PublicKeyInfo> authorities = new ArrayList<>();
        for (int i = 1; i <= authorityCount; i++) {
            int at = rows.number();
            String what = "authority key " + i + " of " + authorityCount;
            String pem = rows.pem("PUBLIC KEY", what);
            PublicKeyInfo key;
            try {
                key = PublicKeyInfo.fromPem(pem);
            } catch (IllegalArgumentException e) {
                throw new BundleFormatException(Reason.BAD_AUTHORITY_KEY, at, what + ": " + e.getMessage(), e);
            }
            canonical(pem, key.toPem(), at, "PUBLIC KEY block");
            if (authorities.contains(key)) {
                throw new BundleFormatException(Reason.BAD_AUTHORITY_KEY, at, what + " repeats authority key "
                        + key.keyId());
            }
            if (key.equals(deviceKey.publicKey())) {
                throw new BundleFormatException(Reason.BAD_AUTHORITY_KEY, at, what + " is the device's own key "
                        + key.keyId() + "; a device cannot vouch for itself");
            }
            authorities.add(key);
        }

        // The license lines.
        List<LicenseLine> licenses = new ArrayList<>();
        for (int i = 1; i <= licenseCount; i++) {
            int at = rows.number();
            String line = rows.expect("NLIC", "license line " + i + " of " + licenseCount);
            try {
                licenses.add(LicenseLine.parse(line));
            } catch (LicenseFormatException e) {
                throw new BundleFormatException(Reason.BAD_LICENSE_LINE, at, "license line " + i + " ("
                        + e.reason() + "): " + e.getMessage(), e);
            }
        }
        if (rows.hasNext()) {
            throw new BundleFormatException(Reason.UNEXPECTED_ROW, rows.number(), "the bundle should end after "
                    + authorityCount + " authority key(s) and " + licenseCount + " license line(s) (as its first row"
                    + " says), found '" + shorten(rows.peek()) + "'");
        }
        return new ManufacturingBundle(udi, deviceKey, certificate, List.copyOf(authorities), List.copyOf(licenses));
    }

    private static void checkCharacters(String text) {
        int row = 1;
        int column = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                row++;
                column = 1;
                continue;
            }
            if (c < 0x20 || c > 0x7e) {
                String what = c == '\r' ? "CR (a bundle's rows end with LF only)"
                        : c == '\t' ? "TAB"
                        : c == '\uFEFF' ? "a byte-order mark"
                        : String.format("character U+%04X", (int) c);
                throw new BundleFormatException(Reason.BAD_CHARACTER, row, what + " at column " + column
                        + "; a bundle is printable ASCII, spaces and LF");
            }
            column++;
        }
    }

    private static int count(String value, String field, int min, int max) {
        if (!COUNT.matcher(value).matches() || Integer.parseInt(value) < min || Integer.parseInt(value) > max) {
            throw new BundleFormatException(Reason.BAD_HEADER, 1, field + " must be a number from " + min + " to "
                    + max + " without leading zeros, was '" + value + "'");
        }
        return Integer.parseInt(value);
    }

    private static void canonical(String found, String expected, int row, String what) {
        if (!found.equals(pem(expected))) {
            throw new BundleFormatException(Reason.NON_CANONICAL, row, what + " is not in canonical form: "
                    + "DER as the writer encodes it, base64 in rows of 64 characters, no PEM headers");
        }
    }

    /** PEM with LF line ends whatever the platform's line separator. */
    private static String pem(String pem) {
        return pem.replace("\r\n", "\n");
    }

    private static int rows(String text) {
        return (int) text.chars().filter(c -> c == '\n').count();
    }

    private static String shorten(String row) {
        return row.length() > 40 ? row.substring(0, 40) + "..." : row;
    }

    /** A cursor over the rows; every read names what it expected, so a wrong row says what belonged there. */
    private static final class Rows {
        private final String[] rows;
        private int next;

        Rows(String[] rows) {
            this.rows = rows;
        }

        boolean hasNext() {
            return next < rows.length;
        }

        /** 1-based number of the next row. */
        int number() {
            return next + 1;
        }

        String peek() {
            return rows[next];
        }

        String next() {
            return rows[next++];
        }

        String expect(String prefix, String what) {
            if (!hasNext()) {
                throw new BundleFormatException(Reason.TRUNCATED, number() - 1, "the bundle ends here; "
                        + what + " is missing");
            }
            String row = peek();
            if (!row.startsWith(prefix)) {
                throw unexpected(what);
            }
            return next();
        }

        BundleFormatException unexpected(String what) {
            String row = peek();
            String found = row.isEmpty() ? "a blank row (a bundle has none)"
                    : row.startsWith("#") ? "a comment row (a bundle has none)"
                    : "'" + shorten(row) + "'";
            return new BundleFormatException(Reason.UNEXPECTED_ROW, number(), "expected " + what + ", found "
                    + found);
        }

        /** A whole PEM block of {@code type}, returned LF-terminated as it stands in the text. */
        String pem(String type, String what) {
            String begin = "-----BEGIN " + type + "-----";
            String end = "-----END " + type + "-----";
            if (!hasNext()) {
                throw new BundleFormatException(Reason.TRUNCATED, number() - 1, "the bundle ends here; "
                        + what + " (" + begin + ") is missing");
            }
            if (!peek().equals(begin)) {
                throw unexpected(what + " (" + begin + ")");
            }
            int start = number();
            StringBuilder sb = new StringBuilder(next()).append('\n');
            StringBuilder body = new StringBuilder();
            while (true) {
                if (!hasNext()) {
                    throw new BundleFormatException(Reason.TRUNCATED, number() - 1, "the bundle ends inside the "
                            + type + " block that starts at row " + start + "; " + end + " is missing");
                }
                String row = next();
                sb.append(row).append('\n');
                if (row.equals(end)) {
                    decodes(body.toString(), type, start, number() - 1);
                    return sb.toString();
                }
                if (!BASE64_ROW.matcher(row).matches()) {
                    throw new BundleFormatException(Reason.BAD_PEM, number() - 1, "the " + type
                            + " block that starts at row " + start + " has '" + shorten(row) + "' where base64 or "
                            + end + " belongs");
                }
                body.append(row);
            }
        }

        private static void decodes(String base64, String type, int start, int endRow) {
            try {
                if (!base64.isEmpty() && Base64.getDecoder().decode(base64).length > 0) {
                    return;
                }
            } catch (IllegalArgumentException e) {
                throw new BundleFormatException(Reason.BAD_PEM, endRow, "the " + type + " block that starts at row "
                        + start + " is not valid base64: " + e.getMessage(), e);
            }
            throw new BundleFormatException(Reason.BAD_PEM, endRow, "the " + type + " block that starts at row "
                    + start + " is empty");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManufacturingBundle b && toText().equals(b.toText());
    }

    @Override
    public int hashCode() {
        return toText().hashCode();
    }

    /** Never the private key. */
    @Override
    public String toString() {
        return "ManufacturingBundle[udi=" + udi + ", deviceKey=" + deviceKey.keyId() + ", certificate="
                + certificate.serial() + ", authorities=" + authorities.stream().map(PublicKeyInfo::keyId).toList()
                + ", licenses=" + licenses.size() + "]";
    }
}
