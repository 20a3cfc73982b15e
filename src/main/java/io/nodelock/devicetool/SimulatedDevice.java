package io.nodelock.devicetool;

import io.nodelock.devicetool.LicenseStatus.Origin;
import io.nodelock.devicetool.LicenseStatus.State;
import io.nodelock.devicetool.PersistenceStorage.Entry;
import io.nodelock.licensefile.BundleFormatException;
import io.nodelock.licensefile.CertificateVerification;
import io.nodelock.licensefile.DeviceCertificate;
import io.nodelock.licensefile.DeviceCertificateVerifier;
import io.nodelock.licensefile.CallHomeRequest;
import io.nodelock.licensefile.CallHomeResponse;
import io.nodelock.licensefile.DeviceCredential;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseSigner;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.licensefile.LicenseVerifier;
import io.nodelock.licensefile.ManufacturingBundle;
import io.nodelock.licensefile.PermissionTicket;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.RehostTicket;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.TicketFormatException;
import io.nodelock.licensefile.TicketSigner;
import io.nodelock.licensefile.TicketVerification;
import io.nodelock.licensefile.TicketVerifier;
import io.nodelock.licensefile.Udi;
import io.nodelock.licensefile.Verification;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One simulated device in its state folder. Every public operation works at one instant ({@link #now()}) taken
 * from the injected clock when the device is opened; opening runs the clock check and counts the day of use.
 *
 * <p>State folder: {@code device.properties} (UDI, device key id), {@code device-key.pem} (the device credentials'
 * private key), {@code image.txt} (the image's levels and built-in licenses), {@code license-storage.lic} (installed
 * license lines), {@code persistence.log} (append-only history), {@code persistence.seal} (the log's entry count,
 * chain head and last-seen time, signed with the device key), {@code clock.properties} (readable copy of the
 * last-seen time), {@code trust/<keyid>.pem} (trusted service keys); a device made from a manufacturing bundle
 * also has {@code device-certificate.txt} (its identity certificate) and {@code ca/<keyid>.pem} (the manufacturing
 * authorities it trusts).
 */
public final class SimulatedDevice {

    public static final String PROPERTIES = "device.properties";
    public static final String KEY_FILE = "device-key.pem";
    public static final String STORAGE = "license-storage.lic";
    public static final String CLOCK = "clock.properties";
    public static final String TRUST_DIR = "trust";
    /** The device identity certificate of a device made from a bundle (docs/device-identity.md). */
    public static final String CERTIFICATE_FILE = "device-certificate.txt";
    /** Trusted manufacturing authorities, {@code ca/<keyid>.pem}; apart from the service keys in {@code trust/}. */
    public static final String AUTHORITY_DIR = "ca";
    /** A clock that goes back more than this marks time-limited licenses as suspect. */
    public static final Duration ROLLBACK_TOLERANCE = Duration.ofHours(1);
    /** How far a Call Home answer's time may be from the device's clock. */
    public static final Duration CALL_HOME_WINDOW = Duration.ofMinutes(5);
    public static final int GRACE_DAYS = 60;
    public static final int MAX_RUN_DAYS = 3650;

    private final Path dir;
    private final Instant now;
    private final Udi udi;
    private final SigningKey deviceKey;
    private final UniversalImage image;
    private final PersistenceStorage history;
    private final Map<String, PublicKeyInfo> trust = new TreeMap<>();
    private final Map<String, PublicKeyInfo> authorities = new TreeMap<>();
    /** The stored certificate text, or null for a device made without a bundle. */
    private String certificateText;
    private final List<Stored> stored = new ArrayList<>();
    private final List<String> storageProblems = new ArrayList<>();
    /** Last-seen time as sealed; the clock file is a readable copy that must agree with it. */
    private Instant lastSeen;
    /** When tampering with the persistence storage was first detected, or null; sticky once set. */
    private Instant tampered;
    private String tamperReason;

    /** A line in license storage and, if it failed re-verification, why. */
    private record Stored(LicenseLine line, Origin origin, String problem) {
    }

    private SimulatedDevice(Path dir, Instant now, Udi udi, SigningKey deviceKey, UniversalImage image,
            PersistenceStorage history) {
        this.dir = dir;
        this.now = now;
        this.udi = udi;
        this.deviceKey = deviceKey;
        this.image = image;
        this.history = history;
    }

    // ------------------------------------------------------------------ lifecycle

    /** {@code device init}: creates the state folder of a new device, with a new device key and no certificate. */
    public static SimulatedDevice init(Path dir, Udi udi, Clock clock, List<PublicKeyInfo> trusted) {
        requireNoDevice(dir);
        return create(dir, udi, SigningKey.generate(), now(clock), trusted, null);
    }

    /** Result of {@link #initFromBundle}: the new device and what became of each of the bundle's license lines. */
    public record BundleInit(SimulatedDevice device, List<InstallResult> licenses) {
        public BundleInit {
            licenses = List.copyOf(licenses);
        }
    }

    /**
     * {@code device init --bundle}: creates the device the factory prepared. Nothing is written unless the bundle's
     * certificate is issued by one of its authorities, verifies, names the bundle's UDI and private key and is valid
     * now ({@link ManufacturingBundle#check}). The device then keeps the bundle's UDI, key, certificate and
     * authorities, trusts {@code serviceKeys} for license lines, and installs the bundle's license lines as
     * {@link #install} would (a refused line is reported, the others stay installed).
     */
    public static BundleInit initFromBundle(Path dir, ManufacturingBundle bundle, String source, Clock clock,
            List<PublicKeyInfo> serviceKeys) {
        requireNoDevice(dir);
        Instant now = now(clock);
        CertificateVerification v = bundle.check(now);
        if (!v.ok()) {
            throw new DeviceException("bundle " + source + " refused (" + v.status() + "): " + v.message());
        }
        SimulatedDevice d = create(dir, bundle.udi(), bundle.deviceKey(), now, serviceKeys, bundle);
        List<InstallResult> results = bundle.licenses().isEmpty() ? List.of()
                : d.install(new LicenseFile.Parsed(bundle.licenseEntries(), List.of()), source);
        return new BundleInit(d, results);
    }

    /** Reads and strictly parses a manufacturing bundle file. */
    public static ManufacturingBundle readBundle(Path file) {
        byte[] bytes = readBytes(file, "bundle");
        try {
            return ManufacturingBundle.parse(bytes);
        } catch (BundleFormatException e) {
            throw new DeviceException("bundle " + file + " is malformed (" + e.reason() + "): " + e.getMessage(), e);
        }
    }

    private static void requireNoDevice(Path dir) {
        if (Files.exists(dir.resolve(PROPERTIES))) {
            throw new DeviceException("device state folder " + dir + " already holds a device; use another --device");
        }
    }

    private static SimulatedDevice create(Path dir, Udi udi, SigningKey key, Instant now, List<PublicKeyInfo> trusted,
            ManufacturingBundle bundle) {
        UniversalImage image = UniversalImage.shipped(udi);
        try {
            Files.createDirectories(dir.resolve(TRUST_DIR));
            Properties p = new Properties();
            p.setProperty("udi", udi.toString());
            p.setProperty("device-key-id", key.keyId());
            p.setProperty("created", now.toString());
            p.setProperty("format", "1");
            StringWriter w = new StringWriter();
            p.store(w, "Nodelock simulated device");
            Files.writeString(dir.resolve(PROPERTIES), w.toString());
            writePrivate(dir.resolve(KEY_FILE), key.toPkcs8Pem());
            Files.writeString(dir.resolve(UniversalImage.FILE), image.toText());
            Files.writeString(dir.resolve(STORAGE), LicenseFile.format(List.of()));
            if (bundle != null) {
                Files.writeString(dir.resolve(CERTIFICATE_FILE), bundle.certificate().toFile());
                Files.createDirectories(dir.resolve(AUTHORITY_DIR));
                for (PublicKeyInfo a : bundle.authorities()) {
                    Files.writeString(dir.resolve(AUTHORITY_DIR).resolve(a.keyId() + ".pem"), a.toPem());
                }
            }
        } catch (IOException e) {
            throw new DeviceException("cannot create device state folder " + dir + ": " + e.getMessage(), e);
        }
        PersistenceStorage history = PersistenceStorage.open(dir);
        SimulatedDevice d = new SimulatedDevice(dir, now, udi, key, image, history);
        d.writeLastSeen(now);
        if (bundle == null) {
            d.record("device-init", "udi", udi.toString(), "devicekey", key.keyId(), "image", image.name(),
                    "image-sha256", sha256(image.toText()));
        } else {
            DeviceCertificate c = bundle.certificate();
            d.certificateText = c.toFile();
            d.record("device-init", "udi", udi.toString(), "devicekey", key.keyId(), "image", image.name(),
                    "image-sha256", sha256(image.toText()), "certificate", c.serial(), "issuer", c.issuerKeyId(),
                    "notbefore", c.notBefore().toString(), "notafter", c.notAfter().toString());
            for (PublicKeyInfo a : bundle.authorities()) {
                d.authorities.put(a.keyId(), a);
                d.record("ca-add", "keyid", a.keyId(), "source", "bundle");
            }
        }
        for (PublicKeyInfo k : trusted) {
            d.trustAdd(k, "init");
        }
        return d;
    }

    /** Opens an existing device, checks the clock and counts today as a day of use. */
    public static SimulatedDevice open(Path dir, Clock clock) {
        if (!Files.isRegularFile(dir.resolve(PROPERTIES))) {
            throw new DeviceException("no device in " + dir + "; create one with: device init --pid <PID> --sn <SN>");
        }
        Instant now = now(clock);
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(dir.resolve(PROPERTIES))));
        } catch (IOException e) {
            throw new DeviceException("cannot read " + dir.resolve(PROPERTIES) + ": " + e.getMessage(), e);
        }
        Udi udi;
        try {
            udi = Udi.parse(p.getProperty("udi", ""));
        } catch (IllegalArgumentException e) {
            throw new DeviceException("device.properties is corrupt: " + e.getMessage(), e);
        }
        SigningKey key;
        try {
            key = SigningKey.fromPkcs8Pem(Files.readString(dir.resolve(KEY_FILE)));
        } catch (IOException | IllegalArgumentException e) {
            throw new DeviceException("device credentials " + dir.resolve(KEY_FILE) + " unreadable: " + e.getMessage(),
                    e);
        }
        PersistenceStorage history = PersistenceStorage.open(dir);
        String imageText;
        try {
            imageText = Files.readString(dir.resolve(UniversalImage.FILE));
        } catch (IOException e) {
            throw new DeviceException("image file missing or unreadable: " + e.getMessage(), e);
        }
        String expected = history.entries("device-init").stream().findFirst().map(e -> e.get("image-sha256"))
                .orElseThrow(() -> new DeviceException("persistence storage has no device-init entry"));
        if (!expected.equals(sha256(imageText))) {
            throw new DeviceException("image file " + dir.resolve(UniversalImage.FILE)
                    + " was altered after init; the image is read-only");
        }
        SimulatedDevice d = new SimulatedDevice(dir, now, udi, key, UniversalImage.parse(imageText), history);
        d.checkSeal();
        d.loadTrust();
        d.loadIdentity();
        d.loadStorage();
        d.checkClock();
        d.accrue(d.now.atZone(ZoneOffset.UTC).toLocalDate().toString());
        return d;
    }

    private static Instant now(Clock clock) {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
    }

    public Instant now() {
        return now;
    }

    public Udi udi() {
        return udi;
    }

    public PublicKeyInfo publicKey() {
        return deviceKey.publicKey();
    }

    public UniversalImage image() {
        return image;
    }

    public Path dir() {
        return dir;
    }

    public List<Entry> history() {
        return history.entries();
    }

    // ------------------------------------------------------------------ trust store

    private void loadTrust() {
        Path t = dir.resolve(TRUST_DIR);
        if (!Files.isDirectory(t)) {
            return;
        }
        try (Stream<Path> files = Files.list(t)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".pem")) {
                    continue;
                }
                PublicKeyInfo k;
                try {
                    k = PublicKeyInfo.fromPem(Files.readString(f));
                } catch (IllegalArgumentException e) {
                    throw new DeviceException("trust store entry " + f + " is corrupt: " + e.getMessage(), e);
                }
                if (!name.equals(k.keyId() + ".pem")) {
                    throw new DeviceException("trust store entry " + f + " holds key " + k.keyId());
                }
                trust.put(k.keyId(), k);
            }
        } catch (IOException e) {
            throw new DeviceException("cannot read trust store " + t + ": " + e.getMessage(), e);
        }
    }

    public Map<String, PublicKeyInfo> trustStore() {
        return Map.copyOf(trust);
    }

    /** Adds a service key; returns false when it was already trusted. */
    public boolean trustAdd(PublicKeyInfo key, String source) {
        requireIntact();
        if (trust.containsKey(key.keyId())) {
            return false;
        }
        if (key.equals(deviceKey.publicKey())) {
            throw new DeviceException("key " + key.keyId() + " is this device's own key, not a service key");
        }
        try {
            Files.createDirectories(dir.resolve(TRUST_DIR));
            Files.writeString(dir.resolve(TRUST_DIR).resolve(key.keyId() + ".pem"), key.toPem());
        } catch (IOException e) {
            throw new DeviceException("cannot write trust store: " + e.getMessage(), e);
        }
        trust.put(key.keyId(), key);
        record("trust-add", "keyid", key.keyId(), "source", source);
        return true;
    }

    public void trustRemove(String keyId) {
        requireIntact();
        if (!trust.containsKey(keyId)) {
            throw new DeviceException("key " + keyId + " is not in the trust store (trusted: "
                    + (trust.isEmpty() ? "none" : String.join(", ", trust.keySet())) + ")");
        }
        try {
            Files.delete(dir.resolve(TRUST_DIR).resolve(keyId + ".pem"));
        } catch (IOException e) {
            throw new DeviceException("cannot remove " + keyId + " from the trust store: " + e.getMessage(), e);
        }
        trust.remove(keyId);
        record("trust-remove", "keyid", keyId);
    }

    // ------------------------------------------------------------------ identity certificate

    /** Reads the certificate text and the authorities as stored; they are judged when asked ({@link #certificateStatus()}). */
    private void loadIdentity() {
        Path c = dir.resolve(CERTIFICATE_FILE);
        if (Files.exists(c)) {
            try {
                certificateText = Files.readString(c);
            } catch (IOException e) {
                certificateText = "";
            }
        }
        Path a = dir.resolve(AUTHORITY_DIR);
        if (!Files.isDirectory(a)) {
            return;
        }
        try (Stream<Path> files = Files.list(a)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".pem")) {
                    continue;
                }
                try {
                    PublicKeyInfo k = PublicKeyInfo.fromPem(Files.readString(f));
                    if (name.equals(k.keyId() + ".pem")) {
                        authorities.put(k.keyId(), k);
                    }
                } catch (IllegalArgumentException e) {
                    // A corrupt authority entry trusts nothing; the certificate then shows UNKNOWN_ISSUER.
                }
            }
        } catch (IOException e) {
            throw new DeviceException("cannot read authority store " + a + ": " + e.getMessage(), e);
        }
    }

    /** The manufacturing authorities this device trusts (from its bundle); empty for a device made without one. */
    public Map<String, PublicKeyInfo> authorities() {
        return Map.copyOf(authorities);
    }

    /** The device's identity certificate, or null when it has none or the stored one no longer parses. */
    public DeviceCertificate certificate() {
        if (certificateText == null) {
            return null;
        }
        try {
            return DeviceCertificate.parseFile(certificateText);
        } catch (TicketFormatException e) {
            return null;
        }
    }

    /**
     * The certificate checked now against the device's authorities, UDI and own key, or null for a device without a
     * certificate. An altered or replaced certificate file shows here ({@code MALFORMED}, {@code BAD_SIGNATURE},
     * {@code KEY_MISMATCH}...).
     */
    public CertificateVerification certificateStatus() {
        if (certificateText == null) {
            return null;
        }
        DeviceCertificate c;
        try {
            c = DeviceCertificate.parseFile(certificateText);
        } catch (TicketFormatException e) {
            return new CertificateVerification(CertificateVerification.Status.MALFORMED, CERTIFICATE_FILE
                    + " is malformed: " + e.getMessage(), null);
        }
        return new DeviceCertificateVerifier(authorities.values()).verifyFor(c, udi, deviceKey.publicKey(), now);
    }

    // ------------------------------------------------------------------ license storage

    private void loadStorage() {
        stored.clear();
        storageProblems.clear();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(STORAGE));
        } catch (NoSuchFileException e) {
            return; // wiped license storage: empty; the persistence storage still has the history
        } catch (IOException e) {
            throw new DeviceException("cannot read license storage: " + e.getMessage(), e);
        }
        LicenseFile.Parsed parsed = LicenseFile.parseBytes(bytes);
        for (LicenseFile.Rejection r : parsed.rejections()) {
            storageProblems.add("license storage row " + r.lineNumber() + " is corrupt and ignored: " + r.message());
        }
        LicenseVerifier service = new LicenseVerifier(trust);
        LicenseVerifier own = new LicenseVerifier(List.of(deviceKey.publicKey()));
        for (LicenseLine line : parsed.lines()) {
            boolean grace = deviceKey.keyId().equals(line.keyId());
            Verification v = grace ? own.verify(line) : service.verify(line);
            String problem = v.ok() ? null : v.message();
            if (problem == null && !line.udi().sameDevice(udi)) {
                problem = "UDI mismatch: line is for " + line.udi().binding() + ", device is " + udi.binding();
            }
            stored.add(new Stored(line, grace ? Origin.GRACE : Origin.INSTALLED, problem));
        }
    }

    private void writeStorage() {
        Path target = dir.resolve(STORAGE);
        Path tmp = dir.resolve(STORAGE + ".tmp");
        try {
            Files.writeString(tmp, LicenseFile.format(stored.stream().map(Stored::line).toList()));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DeviceException("cannot write license storage: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ clock

    private Instant readLastSeen() {
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(dir.resolve(CLOCK))));
            String v = p.getProperty("last-seen");
            return v == null ? null : Instant.parse(v);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            throw new DeviceException("clock file " + dir.resolve(CLOCK) + " is corrupt: " + e.getMessage(), e);
        }
    }

    private void writeLastSeen(Instant t) {
        try {
            Files.writeString(dir.resolve(CLOCK), "# the latest time this device has seen; sealed in "
                    + Seal.FILE + ", edit neither\nlast-seen=" + t + "\n");
        } catch (IOException e) {
            throw new DeviceException("cannot write clock file: " + e.getMessage(), e);
        }
        lastSeen = t;
        seal();
    }

    /** Rule: now earlier than last-seen minus one hour makes the clock suspect until now is sane again. */
    private void checkClock() {
        Instant last = lastSeen;
        boolean suspect = clockSuspect();
        if (last != null && now.isBefore(last.minus(ROLLBACK_TOLERANCE))) {
            if (!suspect) {
                record("clock-rollback", "now", now.toString(), "last-seen", last.toString());
            }
            return;
        }
        if (suspect) {
            record("clock-sane", "now", now.toString(), "last-seen", String.valueOf(last));
        }
        if (last == null || now.isAfter(last)) {
            writeLastSeen(now);
        }
    }

    // ------------------------------------------------------------------ seal

    /** Appends to the persistence storage and re-seals it, so the seal always matches the log's end. */
    private Entry record(String event, String... nameValues) {
        Entry e = history.append(this.now, event, nameValues);
        seal();
        return e;
    }

    private void seal() {
        if (lastSeen == null) {
            return; // only during init, before the first last-seen time is written
        }
        Path tmp = dir.resolve(Seal.FILE + ".tmp");
        try {
            Files.writeString(tmp, Seal.sign(deviceKey, history.size(), history.head(), lastSeen, tampered).toText());
            Files.move(tmp, dir.resolve(Seal.FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DeviceException("cannot write " + Seal.FILE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the seal against the log and the clock file. A mismatch is tampering: it is recorded in the log, the
     * log is sealed again with the tampered flag set, and from then on the device runs in tampered mode for good.
     */
    private void checkSeal() {
        List<String> problems = new ArrayList<>();
        Seal seal = null;
        try {
            seal = Seal.parse(Files.readString(dir.resolve(Seal.FILE)));
        } catch (NoSuchFileException e) {
            problems.add(Seal.FILE + " is missing");
        } catch (IOException | IllegalArgumentException e) {
            problems.add(Seal.FILE + " is corrupt");
        }
        if (seal != null && !seal.verifies(deviceKey.publicKey())) {
            problems.add(Seal.FILE + " is not signed by this device's key");
            seal = null;
        }
        Instant clockFile;
        try {
            clockFile = readLastSeen();
        } catch (DeviceException e) {
            clockFile = null;
            problems.add(CLOCK + " is corrupt");
        }
        if (seal != null) {
            if (seal.entries() != history.size()) {
                problems.add(PersistenceStorage.FILE + " has " + history.size() + " entries, the seal says "
                        + seal.entries() + (history.size() < seal.entries() ? " (entries were removed)" : ""));
            } else if (!seal.head().equals(history.head())) {
                problems.add(PersistenceStorage.FILE + " chain head " + history.head() + " is not the sealed "
                        + seal.head());
            }
            if (clockFile == null) {
                problems.add(CLOCK + " is missing or has no last-seen time");
            } else if (!clockFile.equals(seal.lastSeen())) {
                problems.add(CLOCK + " says last seen " + clockFile + ", the seal says " + seal.lastSeen());
            }
            lastSeen = seal.lastSeen();
            tampered = seal.tampered();
        } else {
            lastSeen = clockFile;
        }
        for (Entry e : history.entries("tamper")) {
            if (tampered == null) {
                tampered = e.at();
            }
            tamperReason = e.get("reason");
        }
        if (!problems.isEmpty()) {
            if (tampered == null) {
                tampered = now;
            }
            tamperReason = String.join("; ", problems);
            // The clock must not go back through tampering: keep the latest last-seen time either copy had.
            Instant last = lastSeen == null ? now : lastSeen;
            if (clockFile != null && clockFile.isAfter(last)) {
                last = clockFile;
            }
            lastSeen = last;
            record("tamper", "reason", tamperReason);
            writeLastSeen(last);
        }
    }

    /** True once tampering with the persistence storage was detected; it never clears. */
    public boolean tampered() {
        return tampered != null;
    }

    /** One line for the user: when tampering was detected and what was found. */
    public String tamperMessage() {
        return tampered == null ? null : "persistence storage tampered (detected " + tampered + ": " + tamperReason
                + "); licenses that depend on its history are disabled";
    }

    private void requireIntact() {
        if (tampered != null) {
            throw new DeviceException(tamperMessage() + "; the device refuses license changes");
        }
    }

    public boolean clockSuspect() {
        boolean suspect = false;
        for (Entry e : history.entries()) {
            if (e.event().equals("clock-rollback")) {
                suspect = true;
            } else if (e.event().equals("clock-sane")) {
                suspect = false;
            }
        }
        return suspect;
    }

    // ------------------------------------------------------------------ history-derived state

    public boolean eulaAccepted() {
        return !history.entries("eula-accept").isEmpty();
    }

    /**
     * The boot configuration: the image level asked for ({@code null} = auto) and the add-ons whose built-in emergency
     * license was asked for. As on IOS, {@code license boot level} only changes the configuration for the next boot.
     */
    public record BootConfig(String level, List<String> addOns) {
        public BootConfig {
            addOns = List.copyOf(addOns);
        }

        @Override
        public String toString() {
            return "level " + (level == null ? "auto" : level) + (addOns.isEmpty() ? "" : ", add-ons "
                    + String.join(", ", addOns));
        }
    }

    /** The configuration the device booted with: as it was at the latest {@code reload} (at init: auto, none). */
    public BootConfig runningBoot() {
        return boot(true);
    }

    /** The configuration the next {@code device reload} will boot with. */
    public BootConfig nextBoot() {
        return boot(false);
    }

    private BootConfig boot(boolean running) {
        String level = null;
        Set<String> addOns = new java.util.TreeSet<>();
        BootConfig applied = new BootConfig(null, List.of());
        for (Entry e : history.entries()) {
            if (e.event().equals("boot-level")) {
                String v = e.get("level");
                if (image.addOns().contains(v)) {
                    addOns.add(v);
                } else {
                    level = "auto".equals(v) ? null : v;
                }
            } else if (e.event().equals("reload")) {
                applied = new BootConfig(level, new ArrayList<>(addOns));
            }
        }
        return running ? applied : new BootConfig(level, new ArrayList<>(addOns));
    }

    public String bootLevel() {
        return runningBoot().level();
    }

    private Map<String, Entry> revoked() {
        Map<String, Entry> m = new HashMap<>();
        for (Entry e : history.entries("revoke")) {
            m.putIfAbsent(e.get("license"), e);
        }
        return m;
    }

    private Map<String, Set<String>> usage() {
        Map<String, Set<String>> m = new HashMap<>();
        for (Entry e : history.entries("use")) {
            m.computeIfAbsent(e.get("license"), k -> new HashSet<>()).add(e.get("day"));
        }
        return m;
    }

    /** The day each license was last counted on (a calendar date or {@code uptime-<n>}), in history order. */
    private Map<String, String> lastDayOfUse() {
        Map<String, String> m = new HashMap<>();
        for (Entry e : history.entries("use")) {
            m.put(e.get("license"), e.get("day"));
        }
        return m;
    }

    private Map<String, List<String>> comments() {
        Map<String, List<String>> m = new HashMap<>();
        for (Entry e : history.entries("comment")) {
            m.computeIfAbsent(e.get("license"), k -> new ArrayList<>()).add(e.at() + " " + e.get("text"));
        }
        return m;
    }

    private Map<String, Instant> installTimes() {
        Map<String, Instant> m = new HashMap<>();
        for (Entry e : history.entries()) {
            if (e.event().equals("install") || e.event().equals("grace-install")) {
                m.putIfAbsent(e.get("license"), e.at());
            }
        }
        return m;
    }

    // ------------------------------------------------------------------ evaluation

    /** Evaluates every line and feature at {@link #now()}, on today's UTC calendar day. */
    public Snapshot snapshot() {
        return snapshot(today().toString());
    }

    /**
     * Evaluates every line and feature at {@link #now()} as on the day of use {@code day} (a calendar date, or
     * {@code uptime-<n>} while {@link #run(int)} simulates uptime). A countdown line whose days are all used is
     * still active on the day its last day was counted: a day of use is a whole day.
     */
    private Snapshot snapshot(String day) {
        Map<String, Entry> revoked = revoked();
        Map<String, Set<String>> usage = usage();
        Map<String, String> lastDay = lastDayOfUse();
        Map<String, List<String>> comments = comments();
        Map<String, Instant> installed = installTimes();
        boolean eula = eulaAccepted();
        boolean suspect = clockSuspect();
        BootConfig running = runningBoot();
        String boot = running.level();

        List<Stored> all = new ArrayList<>();
        for (LicenseLine l : image.builtIns()) {
            all.add(new Stored(l, Origin.BUILT_IN, l.udi().sameDevice(udi) ? null : "built-in line of another UDI"));
        }
        all.addAll(stored);

        List<Partial> partials = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Stored s = all.get(i);
            LicenseLine l = s.line();
            int used = Math.min(usage.getOrDefault(l.licenseId(), Set.of()).size(), Math.max(l.usageDays(), 0));
            boolean countedOnDay = day.equals(lastDay.get(l.licenseId()));
            State state;
            String reason = null;
            boolean timeLimited = LicenseStatus.countsDown(l) || l.notBefore() != null || l.notAfter() != null;
            if (s.problem() != null) {
                state = State.INVALID;
                reason = s.problem();
            } else if (tampered != null && !(s.origin() == Origin.BUILT_IN && l.type() == LicenseType.PERMANENT)) {
                // Revocations, days of use and the clock all come from the storage, so nothing that depends on
                // them can be trusted; only what the read-only image grants for ever stays.
                state = State.TAMPERED;
                reason = "persistence storage tampered (detected " + tampered + ")";
            } else if (revoked.containsKey(l.licenseId()) && s.origin() == Origin.INSTALLED) {
                state = State.REVOKED;
                reason = "revoked at " + revoked.get(l.licenseId()).at() + " by permission ticket "
                        + revoked.get(l.licenseId()).get("ticket");
            } else if (l.notBefore() != null && now.isBefore(l.notBefore())) {
                state = State.NOT_YET_VALID;
                reason = "valid from " + l.notBefore();
            } else if (l.notAfter() != null && !now.isBefore(l.notAfter())) {
                state = State.EXPIRED;
                reason = "ended " + l.notAfter();
            } else if (timeLimited && suspect) {
                state = State.SUSPECT;
                reason = "the clock went back more than an hour; time-limited licenses are suspended until it is sane";
            } else if (LicenseStatus.countsDown(l) && used >= l.usageDays() && !countedOnDay) {
                state = State.EXPIRED;
                reason = "all " + l.usageDays() + " days of use are used";
            } else if (LicenseStatus.countsDown(l) && s.origin() != Origin.GRACE && !eula) {
                state = State.EULA_NOT_ACCEPTED;
                reason = "accept the EULA with: license accept end user agreement";
            } else {
                state = State.ACTIVE;
            }
            partials.add(new Partial(i + 1, s, state, reason, used, countedOnDay));
        }

        Set<Integer> inUse = new HashSet<>();
        List<FeatureStatus> features = new ArrayList<>();
        // Image levels.
        int bootIdx = boot == null ? -1 : image.levelIndex(boot);
        int topAuto = -1;
        int topBoot = -1;
        for (Partial p : partials) {
            if (p.state != State.ACTIVE || !image.isLevel(p.feature())) {
                continue;
            }
            int idx = image.levelIndex(p.feature());
            if (autoEligible(p)) {
                topAuto = Math.max(topAuto, idx);
            } else if (boot != null && idx <= bootIdx) {
                topBoot = Math.max(topBoot, idx);
            }
        }
        int effective = boot == null ? topAuto : Math.min(bootIdx, Math.max(topAuto, topBoot));
        Partial provider = null;
        if (effective >= 0) {
            final int eff = effective;
            provider = partials.stream()
                    .filter(p -> p.state == State.ACTIVE && image.isLevel(p.feature()))
                    .filter(p -> image.levelIndex(p.feature()) >= eff)
                    .filter(p -> autoEligible(p) || (boot != null && image.levelIndex(p.feature()) <= bootIdx))
                    .min(Comparator.comparingInt(SimulatedDevice::rank)
                            .thenComparingInt(p -> image.levelIndex(p.feature()))
                            .thenComparing(COUNTDOWN_ORDER))
                    .orElse(null);
            if (provider != null) {
                inUse.add(provider.index);
            }
        }
        for (int i = 0; i < image.levels().size(); i++) {
            String level = image.levels().get(i);
            boolean enabled = i <= effective && provider != null;
            String via = !enabled ? null
                    : provider.feature().equals(level) ? "licensed" : "included in " + provider.feature();
            features.add(new FeatureStatus(level, "level", enabled, enabled ? provider.licenseId() : null, via,
                    enabled ? provider.line().count() : 0));
        }
        // Add-ons and any other feature that has a line.
        List<String> others = new ArrayList<>(image.addOns());
        for (Partial p : partials) {
            if (!image.isLevel(p.feature()) && !others.contains(p.feature())) {
                others.add(p.feature());
            }
        }
        for (String f : others) {
            // A built-in emergency license is used only for an add-on the running boot configuration asked for.
            List<Partial> active = partials.stream().filter(p -> p.feature().equals(f) && p.state == State.ACTIVE)
                    .filter(p -> p.stored.origin() != Origin.BUILT_IN || !LicenseStatus.countsDown(p.line())
                            || running.addOns().contains(f))
                    .toList();
            List<Partial> fixed = active.stream().filter(p -> !LicenseStatus.countsDown(p.line())).toList();
            List<Partial> using;
            if (!fixed.isEmpty()) {
                using = fixed;
            } else {
                using = active.stream().min(Comparator.comparingInt(SimulatedDevice::rank).thenComparing(COUNTDOWN_ORDER))
                        .map(List::of).orElse(List.of());
            }
            using.forEach(p -> inUse.add(p.index));
            int count = using.stream().anyMatch(p -> p.line().count() == 0) ? 0
                    : using.stream().mapToInt(p -> p.line().count()).sum();
            features.add(new FeatureStatus(f, image.addOns().contains(f) ? "addon" : "other", !using.isEmpty(),
                    using.isEmpty() ? null : String.join(",", using.stream().map(Partial::licenseId).toList()),
                    using.isEmpty() ? null : "licensed", count));
        }

        List<LicenseStatus> statuses = new ArrayList<>();
        for (Partial p : partials) {
            String reason = p.reason;
            boolean countdown = LicenseStatus.countsDown(p.line());
            if (reason == null && p.state == State.ACTIVE && !inUse.contains(p.index)
                    && p.stored.origin() == Origin.BUILT_IN && countdown
                    && !asked(running, p.feature())) {
                reason = "emergency license not activated; activate with: license boot level " + p.feature()
                        + ", then device reload";
            }
            if (reason == null && p.state == State.ACTIVE && countdown && !image.isLevel(p.feature())) {
                if (inUse.contains(p.index) && p.used >= p.line().usageDays()) {
                    reason = "last day of use; the line expires when the next day of use begins";
                } else if (!inUse.contains(p.index)) {
                    String first = partials.stream().filter(o -> inUse.contains(o.index))
                            .filter(o -> o.feature().equals(p.feature())).map(Partial::licenseId).findFirst()
                            .orElse(null);
                    if (first != null) {
                        reason = "waits: " + first + " is in use; this line's days of use count only once it is"
                                + " in use";
                    }
                }
            }
            statuses.add(new LicenseStatus(p.index, p.line(), p.stored.origin(), p.state, inUse.contains(p.index),
                    reason, p.used, comments.getOrDefault(p.licenseId(), List.of()),
                    installed.get(p.licenseId())));
        }
        String level = effective >= 0 && provider != null ? image.levels().get(effective) : "none";
        return new Snapshot(now, level, boot, running.addOns(), nextBoot(), eula, suspect, tamperMessage(), statuses,
                features, storageProblems);
    }

    private record Partial(int index, Stored stored, State state, String reason, int used, boolean countedOnDay) {
        LicenseLine line() {
            return stored.line();
        }

        String feature() {
            return stored.line().feature();
        }

        String licenseId() {
            return stored.line().licenseId();
        }
    }

    /** Whether the running boot configuration asks for {@code feature}: an add-on, or a level up to the boot level. */
    private boolean asked(BootConfig running, String feature) {
        if (image.isLevel(feature)) {
            return running.level() != null && image.levelIndex(feature) <= image.levelIndex(running.level());
        }
        return running.addOns().contains(feature);
    }

    /** Level lines that enable their level without {@code license boot level}: fixed-term lines and grace lines. */
    private static boolean autoEligible(Partial p) {
        return !LicenseStatus.countsDown(p.line()) || p.stored.origin() == Origin.GRACE;
    }

    /**
     * Among active lines of the same {@link #rank}, the order a feature's countdown lines are used in, one at a
     * time: the line already counted on the day keeps the rest of that day (a line installed during the day does
     * not count it again); then the line with the fewest days of use left (so the line in use stays in use until it
     * is used up, and a used-up evaluation hands over to its extension); then evaluation before extension; then
     * the line stored first. The order never changes how many days a feature runs, only which line counts them.
     */
    private static final Comparator<Partial> COUNTDOWN_ORDER = Comparator
            .comparing((Partial p) -> !p.countedOnDay())
            .thenComparingInt(p -> LicenseStatus.countsDown(p.line()) ? p.line().usageDays() - p.used()
                    : Integer.MAX_VALUE)
            .thenComparingInt(p -> p.line().type() == LicenseType.EXTENSION ? 1 : 0)
            .thenComparingInt(Partial::index);

    /** Which of several active lines for one feature is used: fixed terms first, emergency last. */
    private static int rank(Partial p) {
        LicenseLine l = p.line();
        if (p.stored.origin() == Origin.BUILT_IN) {
            return l.type() == LicenseType.PERMANENT ? 2 : 5;
        }
        if (p.stored.origin() == Origin.GRACE) {
            return 3;
        }
        return switch (l.type()) {
            case PERMANENT -> 0;
            case SUBSCRIPTION -> 1;
            default -> 4;
        };
    }

    /**
     * Counts {@code day} as a day of use for every countdown line in use on it that has days left and has not been
     * counted on it.
     */
    private void accrue(String day) {
        Map<String, Set<String>> usage = usage();
        for (LicenseStatus s : snapshot(day).licenses()) {
            if (s.inUse() && s.countsDown() && s.state() == State.ACTIVE && s.daysLeft() > 0
                    && !usage.getOrDefault(s.licenseId(), Set.of()).contains(day)) {
                record("use", "license", s.licenseId(), "day", day);
            }
        }
    }

    // ------------------------------------------------------------------ commands

    /** Result of installing one row of a license file. */
    public record InstallResult(int lineNumber, String licenseId, Outcome outcome, String message) {
        /** What happened to the row. */
        public enum Outcome { INSTALLED, REPLACED, ALREADY_INSTALLED, REJECTED }

        public boolean rejected() {
            return outcome == Outcome.REJECTED;
        }
    }

    /** {@code license install}: checks every line and stores the valid ones; idempotent. */
    public List<InstallResult> install(Path file) {
        requireIntact();
        byte[] bytes = readBytes(file, "license file");
        for (byte b : bytes) {
            if (b == 0) {
                throw new DeviceException("license file " + file + " is corrupt: binary content");
            }
        }
        // Parsed from bytes, so a byte that is not UTF-8 (say in a comment) spoils its own row, not the file.
        LicenseFile.Parsed parsed = LicenseFile.parseBytes(bytes);
        if (parsed.entries().isEmpty() && parsed.rejections().isEmpty()) {
            throw new DeviceException("license file " + file + " holds no license lines (empty or only comments)");
        }
        return install(parsed, file.getFileName().toString());
    }

    /** Installs parsed rows; {@code source} names the file in the history. */
    private List<InstallResult> install(LicenseFile.Parsed parsed, String source) {
        requireIntact();
        LicenseVerifier service = new LicenseVerifier(trust);
        LicenseVerifier own = new LicenseVerifier(List.of(deviceKey.publicKey()));
        Set<String> graceIds = new HashSet<>();
        history.entries("grace-install").forEach(e -> graceIds.add(e.get("license")));
        Map<String, Entry> revoked = revoked();
        Map<String, Instant> newestIssued = new HashMap<>();
        for (Entry e : history.entries("install")) {
            newestIssued.merge(e.get("license"), Instant.parse(e.get("issued")), (a, b) -> a.isAfter(b) ? a : b);
        }
        boolean suspect = clockSuspect();

        List<InstallResult> results = new ArrayList<>();
        for (LicenseFile.Rejection r : parsed.rejections()) {
            results.add(new InstallResult(r.lineNumber(), null, InstallResult.Outcome.REJECTED,
                    "malformed line (" + r.reason() + "): " + r.message()));
        }
        boolean changed = false;
        for (LicenseFile.Entry entry : parsed.entries()) {
            LicenseLine line = entry.line();
            String id = line.licenseId();
            boolean grace = deviceKey.keyId().equals(line.keyId());
            Verification v = grace ? own.verifyFor(line, udi, now) : service.verifyFor(line, udi, now);
            String refusal = null;
            if (!v.ok()) {
                refusal = v.message();
            } else if (grace && !graceIds.contains(id)) {
                refusal = "line " + id + " is signed by this device's own key but is not a grace license it created";
            } else if (!grace && revoked.containsKey(id)) {
                refusal = "license " + id + " was revoked on this device at " + revoked.get(id).at()
                        + " (permission ticket " + revoked.get(id).get("ticket") + ")";
            } else if (suspect && (line.notBefore() != null || line.notAfter() != null)) {
                refusal = "line " + id + " has a validity window and the clock is suspect (it went back);"
                        + " fix the clock first";
            }
            int existing = indexOf(id);
            if (refusal == null && existing >= 0 && stored.get(existing).line().equals(line)) {
                results.add(new InstallResult(entry.lineNumber(), id, InstallResult.Outcome.ALREADY_INSTALLED,
                        "license " + id + " (" + line.feature() + ") is already installed"));
                continue;
            }
            if (refusal == null && newestIssued.containsKey(id) && newestIssued.get(id).isAfter(line.issuedAt())) {
                refusal = "line " + id + " issued " + line.issuedAt() + " is superseded by the line issued "
                        + newestIssued.get(id) + " that this device already installed";
            }
            if (refusal == null && existing >= 0
                    && !stored.get(existing).line().issuedAt().isBefore(line.issuedAt())) {
                refusal = "line " + id + " conflicts with the installed line of the same id and issue time";
            }
            if (refusal != null) {
                results.add(new InstallResult(entry.lineNumber(), id, InstallResult.Outcome.REJECTED, refusal));
                record("install-refused", "license", id, "file", source, "status",
                        v.ok() ? "REFUSED" : v.status().name(), "reason", refusal);
                continue;
            }
            Stored s = new Stored(line, grace ? Origin.GRACE : Origin.INSTALLED, null);
            InstallResult.Outcome outcome;
            if (existing >= 0) {
                stored.set(existing, s);
                outcome = InstallResult.Outcome.REPLACED;
                record("superseded", "license", id, "issued", line.issuedAt().toString());
            } else {
                stored.add(s);
                outcome = InstallResult.Outcome.INSTALLED;
            }
            record(grace ? "grace-restore" : "install", "license", id, "feature", line.feature(),
                    "type", line.type().wireName(), "issued", line.issuedAt().toString(), "file", source,
                    "line", line.toText());
            newestIssued.put(id, line.issuedAt());
            changed = true;
            results.add(new InstallResult(entry.lineNumber(), id, outcome, "installed " + id + " ("
                    + line.feature() + ", " + line.type().wireName() + ")"
                    + (outcome == InstallResult.Outcome.REPLACED ? ", replacing an older line of the same id" : "")));
        }
        results.sort(Comparator.comparingInt(InstallResult::lineNumber));
        for (InstallResult r : results) {
            if (r.rejected() && r.licenseId() == null) {
                record("install-refused", "file", source, "line", String.valueOf(r.lineNumber()),
                        "status", "MALFORMED", "reason", r.message());
            }
        }
        if (changed) {
            writeStorage();
            accrue(now.atZone(ZoneOffset.UTC).toLocalDate().toString());
        }
        return results;
    }

    private int indexOf(String licenseId) {
        for (int i = 0; i < stored.size(); i++) {
            if (stored.get(i).line().licenseId().equals(licenseId)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code license accept end user agreement}; returns false if it was already accepted. */
    public boolean acceptEula() {
        requireIntact();
        if (eulaAccepted()) {
            return false;
        }
        record("eula-accept");
        accrue(now.atZone(ZoneOffset.UTC).toLocalDate().toString());
        return true;
    }

    /**
     * {@code license boot level <level|auto|add-on>}: changes the boot configuration for the next {@link #reload()};
     * a level (or {@code auto}) replaces the level, an add-on is added. Returns the configuration the next reload
     * will boot with.
     */
    public BootConfig bootLevel(String level) {
        requireIntact();
        if (!"auto".equals(level) && !image.isLevel(level) && !image.addOns().contains(level)) {
            throw new DeviceException("unknown level '" + level + "'; levels of " + image.name() + " are "
                    + String.join(", ", image.levels()) + " (or auto), add-ons " + String.join(", ", image.addOns()));
        }
        record("boot-level", "level", level);
        return nextBoot();
    }

    /**
     * {@code device reload}: boots with the configuration {@code license boot level} set; from now on the emergency
     * licenses it asks for can be in use and count days.
     */
    public BootConfig reload() {
        requireIntact();
        record("reload", "boot", nextBoot().toString());
        accrue(now.atZone(ZoneOffset.UTC).toLocalDate().toString());
        return runningBoot();
    }

    /** {@code license clear <feature>}: removes the feature's stored lines that are not in use; returns their ids. */
    public List<String> clear(String feature) {
        requireIntact();
        Snapshot snap = snapshot();
        List<LicenseStatus> lines = snap.licensesOf(feature);
        if (lines.stream().noneMatch(l -> l.origin() != Origin.BUILT_IN)) {
            throw new DeviceException("no installed license for feature '" + feature + "'"
                    + (lines.isEmpty() ? "" : " (built-in licenses ship with the image and cannot be cleared)"));
        }
        List<String> cleared = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (LicenseStatus l : lines) {
            if (l.origin() == Origin.BUILT_IN) {
                continue;
            }
            if (l.state() == State.ACTIVE && l.inUse()) {
                kept.add(l.licenseId());
            } else {
                cleared.add(l.licenseId());
            }
        }
        if (cleared.isEmpty()) {
            throw new DeviceException("nothing to clear for '" + feature + "': " + String.join(", ", kept)
                    + " is in use; only unused, expired, revoked or invalid lines can be cleared");
        }
        stored.removeIf(s -> cleared.contains(s.line().licenseId()));
        writeStorage();
        for (String id : cleared) {
            record("clear", "license", id, "feature", feature);
        }
        return cleared;
    }

    /** {@code license comment add <feature> <text>}: comments the line in use, else the newest line of it. */
    public String addComment(String feature, String text) {
        requireIntact();
        if (text == null || text.isBlank()) {
            throw new DeviceException("comment text is empty");
        }
        List<LicenseStatus> lines = snapshot().licensesOf(feature);
        if (lines.isEmpty()) {
            throw new DeviceException("no license for feature '" + feature + "' on this device");
        }
        LicenseStatus target = lines.stream().filter(LicenseStatus::inUse).findFirst()
                .orElse(lines.get(lines.size() - 1));
        record("comment", "license", target.licenseId(), "text", text.strip());
        return target.licenseId();
    }

    /** {@code license save <file>}: writes the license storage as a license file; returns the number of lines. */
    public int save(Path file) {
        Map<String, List<String>> comments = comments();
        StringBuilder sb = new StringBuilder(LicenseFile.HEADER).append('\n');
        sb.append("# backup of ").append(udi).append(" at ").append(now).append('\n');
        for (Stored s : stored) {
            for (String c : comments.getOrDefault(s.line().licenseId(), List.of())) {
                sb.append("# ").append(s.line().licenseId()).append(" comment: ").append(c).append('\n');
            }
            sb.append(s.line().toText()).append('\n');
        }
        writeOut(file, sb.toString());
        record("save", "file", file.toString(), "lines", String.valueOf(stored.size()));
        return stored.size();
    }

    /**
     * {@code license save credential <file>}: UDI and device public key, signed with the device key, followed by the
     * device's certificate when it has one (as stored: the service judges it).
     */
    public DeviceCredential saveCredential(Path file) {
        DeviceCredential c = new TicketSigner(deviceKey).sign(DeviceCredential.of(udi, deviceKey.publicKey(), now))
                .withCertificate(certificate());
        writeOut(file, c.toFile());
        if (c.certificate() == null) {
            record("save-credential", "file", file.toString());
        } else {
            record("save-credential", "file", file.toString(), "certificate", c.certificate().serial());
        }
        return c;
    }

    /**
     * A License Call Home request signed with the device key, with a fresh nonce and the device's time (docs/call-home.md).
     * Only a certified device calls home: the service knows no other device's key.
     */
    public CallHomeRequest callHomeRequest(String op, String argsJson) {
        if (certificate() == null) {
            throw new DeviceException("Call Home needs a certified device: make it from a manufacturing bundle (device init --bundle)");
        }
        CallHomeRequest request = CallHomeRequest.create(op, udi, argsJson, now, deviceKey);
        record("call-home", "op", op, "nonce", request.nonceText());
        return request;
    }

    /** What the device makes of an answer to its request: only a fresh answer a trusted service key signed for it is used. */
    public CallHomeResponse.Check checkCallHomeAnswer(CallHomeRequest request, CallHomeResponse answer) {
        return answer.check(request, trustStore().values(), now, CALL_HOME_WINDOW);
    }

    /** Result of a revoke: the rehost ticket written and the grace licenses installed. */
    public record RevokeResult(RehostTicket rehostTicket, Path rehostFile, List<String> graceIds) {
    }

    /**
     * {@code license revoke <permission-ticket> [<rehost-ticket>]}: verify, revoke, install grace licenses, write a
     * rehost ticket (to {@code rehost-<ticket id>.txt} when {@code out} is null).
     */
    public RevokeResult revoke(Path ticketFile, Path out) {
        requireIntact();
        String text = readText(ticketFile, "permission ticket");
        PermissionTicket ticket;
        try {
            ticket = PermissionTicket.parseFile(text);
        } catch (TicketFormatException e) {
            throw new DeviceException("wrong ticket: " + ticketFile + ": " + e.getMessage(), e);
        }
        if (clockSuspect()) {
            throw new DeviceException("the clock is suspect (it went back); tickets are refused until it is sane");
        }
        TicketVerification v = new TicketVerifier(trust.values()).verifyPermission(ticket, udi, now);
        if (!v.ok()) {
            throw new DeviceException("wrong ticket: " + v.message());
        }
        for (Entry e : history.entries("revoke")) {
            if (ticket.ticketId().equals(e.get("ticket"))) {
                throw new DeviceException("wrong ticket: permission ticket " + ticket.ticketId()
                        + " was already used at " + e.at());
            }
        }
        Map<String, Entry> revoked = revoked();
        List<Stored> targets = new ArrayList<>();
        for (String id : ticket.licenseIds()) {
            int i = indexOf(id);
            if (revoked.containsKey(id)) {
                throw new DeviceException("wrong ticket: license " + id + " is already revoked");
            }
            if (i < 0 || stored.get(i).origin() != Origin.INSTALLED) {
                throw new DeviceException("wrong ticket: license " + id + " is not installed on this device");
            }
            if (stored.get(i).problem() != null) {
                throw new DeviceException("wrong ticket: license " + id + " is invalid: " + stored.get(i).problem());
            }
            targets.add(stored.get(i));
        }
        LicenseSigner graceSigner = new LicenseSigner(deviceKey);
        List<String> graceIds = new ArrayList<>();
        for (Stored s : targets) {
            LicenseLine l = s.line();
            record("revoke", "license", l.licenseId(), "ticket", ticket.ticketId());
            String graceId = graceId(l.licenseId());
            LicenseLine grace = graceSigner.sign(LicenseLine.builder().licenseId(graceId).feature(l.feature())
                    .udi(udi).type(LicenseType.EVALUATION).count(l.count()).usageDays(GRACE_DAYS).issuedAt(now)
                    .build());
            stored.add(new Stored(grace, Origin.GRACE, null));
            record("grace-install", "license", graceId, "for", l.licenseId(), "feature", l.feature(),
                    "line", grace.toText());
            graceIds.add(graceId);
        }
        writeStorage();
        RehostTicket rehost = new TicketSigner(deviceKey).sign(
                RehostTicket.of(ticket.ticketId(), udi, ticket.licenseIds(), now, deviceKey.publicKey()));
        if (out == null) {
            out = Path.of("rehost-" + ticket.ticketId() + ".txt");
        }
        writeOut(out, rehost.toFile());
        record("rehost-ticket", "ticket", ticket.ticketId(), "file", out.toString(), "line",
                rehost.toText());
        accrue(now.atZone(ZoneOffset.UTC).toLocalDate().toString());
        return new RevokeResult(rehost, out, graceIds);
    }

    static String graceId(String licenseId) {
        String id = "GRACE-" + licenseId;
        return id.length() <= 64 ? id : "GRACE-" + sha256(licenseId).substring(0, 32);
    }

    /** {@code device run --days n}: simulates n further days of uptime, counting each as a day of use. */
    public void run(int days) {
        requireIntact();
        if (days < 1 || days > MAX_RUN_DAYS) {
            throw new DeviceException("--days must be 1.." + MAX_RUN_DAYS + ", was " + days);
        }
        int done = 0;
        for (Entry e : history.entries("run")) {
            done += Integer.parseInt(e.get("days"));
        }
        record("run", "days", String.valueOf(days));
        for (int i = 1; i <= days; i++) {
            accrue("uptime-" + (done + i));
        }
    }

    // ------------------------------------------------------------------ files

    static String readText(Path file, String what) {
        byte[] bytes = readBytes(file, what);
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            if (text.indexOf('\0') >= 0) {
                throw new DeviceException(what + " " + file + " is corrupt: binary content");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new DeviceException(what + " " + file + " is corrupt: not UTF-8 text", e);
        }
    }

    static byte[] readBytes(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DeviceException("cannot read " + what + " " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new DeviceException("cannot read " + what + " " + file + ": permission denied");
        } catch (IOException e) {
            throw new DeviceException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeOut(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new DeviceException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Files.writeString(file, text);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; nothing more we can do
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The history as JSON-ready maps. */
    public List<Map<String, Object>> historyJson() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Entry e : history.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", e.seq());
            m.put("at", e.at().toString());
            m.put("event", e.event());
            m.put("fields", new LinkedHashMap<>(e.fields()));
            out.add(m);
        }
        return out;
    }

    /** The UTC calendar day of {@link #now()}, the unit of days of use. */
    public LocalDate today() {
        return now.atZone(ZoneOffset.UTC).toLocalDate();
    }
}
