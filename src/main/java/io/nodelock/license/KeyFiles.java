package io.nodelock.license;

import io.nodelock.licensefile.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's private keys on disk (the license signing key, the manufacturing authority key, the manufacturing
 * bundle encryption key): a configured PKCS#8 PEM (or, for a symmetric secret, base64) file, or on a fresh default run a key generated once into an owner-only file and read back on later starts.
 * Only key ids reach the log, never a key.
 */
public final class KeyFiles {

    private static final Logger log = LoggerFactory.getLogger(KeyFiles.class);

    private KeyFiles() {
    }

    /**
     * @param what            what the key is, for log lines and errors, e.g. "license signing key"
     * @param keyFile         the configured key file, or null
     * @param generateIfMissing whether a missing configuration may generate a key
     * @param generatedFile   where a generated key is kept
     * @param missingHint     what to configure, said when nothing is and generating is off
     */
    public static SigningKey loadOrGenerate(String what, Path keyFile, boolean generateIfMissing, Path generatedFile,
                                            String missingHint) {
        if (keyFile != null) {
            return SigningKey.fromPkcs8Pem(read(keyFile));
        }
        if (!generateIfMissing) {
            throw new IllegalStateException("No " + what + " configured: " + missingHint);
        }
        if (Files.exists(generatedFile)) {
            warnIfReadableByOthers(what, generatedFile);
            return SigningKey.fromPkcs8Pem(read(generatedFile));
        }
        SigningKey generated = SigningKey.generate();
        writeOwnerOnly(what, generatedFile, generated.toPkcs8Pem());
        log.info("Generated a new {} {} in {}", what, generated.publicKey().keyId(), generatedFile.toAbsolutePath());
        return generated;
    }

    /**
     * A symmetric secret of {@code length} random bytes (e.g. an AES-256 key), kept base64 in a file: the configured
     * one, or on a fresh default run one generated once into an owner-only file and read back on later starts.
     * Parameters as {@link #loadOrGenerate}.
     */
    public static byte[] loadOrGenerateSecret(String what, int length, Path keyFile, boolean generateIfMissing, Path generatedFile,
                                              String missingHint) {
        if (keyFile != null) {
            return decodeSecret(what, keyFile, length);
        }
        if (!generateIfMissing) {
            throw new IllegalStateException("No " + what + " configured: " + missingHint);
        }
        if (Files.exists(generatedFile)) {
            warnIfReadableByOthers(what, generatedFile);
            return decodeSecret(what, generatedFile, length);
        }
        byte[] secret = new byte[length];
        new java.security.SecureRandom().nextBytes(secret);
        writeOwnerOnly(what, generatedFile, java.util.Base64.getEncoder().encodeToString(secret) + "\n");
        log.info("Generated a new {} in {}", what, generatedFile.toAbsolutePath());
        return secret;
    }

    private static byte[] decodeSecret(String what, Path file, int length) {
        byte[] secret;
        try {
            secret = java.util.Base64.getDecoder().decode(read(file).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The " + what + " file " + file + " is not base64", e);
        }
        if (secret.length != length) {
            throw new IllegalStateException("The " + what + " file " + file + " holds " + secret.length + " bytes, not " + length);
        }
        return secret;
    }

    public static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read key file " + path, e);
        }
    }

    private static void writeOwnerOnly(String what, Path file, String content) {
        Path dir = file.toAbsolutePath().getParent();
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
            throw new UncheckedIOException("Cannot store the generated " + what + " in " + file, e);
        }
    }

    private static void warnIfReadableByOthers(String what, Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("The {} file {} is readable by group or others; restrict it to its owner (chmod 600)", what, file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        }
    }
}
