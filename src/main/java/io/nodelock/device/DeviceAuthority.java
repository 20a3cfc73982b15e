package io.nodelock.device;

import io.nodelock.licensefile.DeviceCertificate;
import io.nodelock.licensefile.DeviceCertificateVerifier;
import io.nodelock.licensefile.ManufacturingAuthority;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.Udi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The service's manufacturing authority, which certifies the keys of the devices it makes bundles for, and the
 * authorities whose device certificates the service trusts. Loads, or on a fresh default run generates, the key.
 */
@Component
public class DeviceAuthority {

    private static final Logger log = LoggerFactory.getLogger(DeviceAuthority.class);
    static final String GENERATED_KEY_FILE = "device-authority-key.pem";

    private final ManufacturingAuthority authority;
    private final List<PublicKeyInfo> trusted;
    private final DeviceCertificateVerifier verifier;
    private final DeviceProperties.Authority properties;

    public DeviceAuthority(DeviceProperties properties) {
        this.properties = properties.authority();
        this.authority = new ManufacturingAuthority(load(this.properties));
        List<PublicKeyInfo> keys = new ArrayList<>();
        keys.add(authority.publicKey());
        for (Path extra : this.properties.trustedPublicKeys()) {
            PublicKeyInfo key = PublicKeyInfo.fromPem(read(extra));
            if (!keys.contains(key)) {
                keys.add(key);
            }
        }
        this.trusted = Collections.unmodifiableList(keys);
        this.verifier = new DeviceCertificateVerifier(trusted);
        log.info("Manufacturing authority {} active; {} authority key(s) trusted; trust on first use {}", authority.keyId(),
                trusted.size(), properties.trustOnFirstUse() ? "ON for uncertified devices" : "off");
    }

    /** The key id of the service's own authority. */
    public String keyId() {
        return authority.keyId();
    }

    /** The service's authority first, then the further trusted authorities. */
    public List<PublicKeyInfo> trustedKeys() {
        return trusted;
    }

    public DeviceCertificateVerifier verifier() {
        return verifier;
    }

    /** The service's authority key, for bundles and for tests that make certified devices. */
    public PublicKeyInfo publicKey() {
        return authority.publicKey();
    }

    /** Certifies a device key for a UDI from now for the configured validity. */
    public DeviceCertificate issue(String serial, Udi udi, PublicKeyInfo deviceKey) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return authority.issue(serial, udi, deviceKey, now, now.plus(properties.certificateValidity()));
    }

    private static SigningKey load(DeviceProperties.Authority properties) {
        if (properties.keyFile() != null) {
            return SigningKey.fromPkcs8Pem(read(properties.keyFile()));
        }
        if (!properties.generateIfMissing()) {
            throw new IllegalStateException("No manufacturing authority key configured: set nodelock.devices.authority.key-file "
                    + "(PKCS#8 PEM)");
        }
        Path file = properties.generatedKeyDir().resolve(GENERATED_KEY_FILE);
        if (Files.exists(file)) {
            warnIfReadableByOthers(file);
            return SigningKey.fromPkcs8Pem(read(file));
        }
        SigningKey generated = SigningKey.generate();
        writeOwnerOnly(properties.generatedKeyDir(), file, generated.toPkcs8Pem());
        log.info("Generated a new manufacturing authority key {} in {}", generated.publicKey().keyId(), file.toAbsolutePath());
        return generated;
    }

    private static void writeOwnerOnly(Path dir, Path file, String content) {
        try {
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createDirectories(dir);
                Files.createFile(file);
            }
            Files.writeString(file, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the generated manufacturing authority key in " + file, e);
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("Manufacturing authority key file {} is readable by group or others; restrict it to its owner (chmod 600)", file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read key file " + path, e);
        }
    }

    @Override
    public String toString() {
        return "DeviceAuthority[" + authority.keyId() + "]";
    }
}
