package io.nodelock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The two packaged jars (built in {@code package}) hold what they should: picocli only in the device tool's jar
 * ({@code src/assembly/device.xml}), never in the server jar ({@code pom.xml}: spring-boot-maven-plugin excludes).
 */
class PackagedJarsIT {

    @Test
    void serverJarShipsWithoutPicocli() throws Exception {
        List<String> libs = entries(serverJar()).stream().filter(name -> name.startsWith("BOOT-INF/lib/")).toList();
        assertThat(libs).as("the lookup reads the repackaged jar").anyMatch(name -> name.startsWith("BOOT-INF/lib/bcprov-"));
        assertThat(libs).noneMatch(name -> name.startsWith("BOOT-INF/lib/picocli-"));
    }

    @Test
    void deviceJarShipsPicocli() throws Exception {
        Path jar = Path.of("target", "nodelock-device.jar");
        assertThat(jar).as("run after 'package'").isRegularFile();
        assertThat(entries(jar)).contains("picocli/CommandLine.class", "io/nodelock/devicetool/SimulatedDevice.class",
                "io/nodelock/licensefile/LicenseFile.class");
    }

    private static Path serverJar() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("nodelock-[0-9].*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("run after 'package': no target/nodelock-*.jar"));
        }
    }

    private static List<String> entries(Path jar) throws Exception {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(JarEntry::getName).toList();
        }
    }
}
