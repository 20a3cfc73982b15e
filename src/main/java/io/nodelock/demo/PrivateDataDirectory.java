package io.nodelock.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Keeps the data folder ({@code nodelock.data-dir}) owner-only: it holds the default run's H2 database (password and
 * token hashes), generated keys and demo credentials. The folder is created 0700 before anything writes into it, and
 * everything inside is made owner-only at start and again once the database has created its files, so that a file a
 * library created with the usual 0644 is readable by nobody else either.
 */
public class PrivateDataDirectory implements EnvironmentPostProcessor, ApplicationListener<ApplicationReadyEvent> {

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String dir = environment.getProperty("nodelock.data-dir");
        if (dir != null && !dir.isBlank()) {
            secure(Path.of(dir));
        }
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        String dir = event.getApplicationContext().getEnvironment().getProperty("nodelock.data-dir");
        if (dir != null && !dir.isBlank() && Files.isDirectory(Path.of(dir))) {
            secure(Path.of(dir));
        }
    }

    /** Creates the folder owner-only if absent and takes group and other permissions off everything in it. */
    static void secure(Path dir) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            }
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path path : all.toList()) {
                    if (!Files.isSymbolicLink(path)) {
                        Files.setPosixFilePermissions(path, Files.isDirectory(path) ? DIRECTORY : FILE);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make the data folder " + dir.toAbsolutePath() + " owner-only", e);
        }
    }
}
