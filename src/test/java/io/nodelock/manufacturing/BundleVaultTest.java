package io.nodelock.manufacturing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleVaultTest {

    @TempDir
    Path tmp;

    final BundleVault vault = new BundleVault(new byte[32]);
    final UUID order = UUID.randomUUID();

    @Test
    void aSealedValueOpensOnlyForItsPlaceUnalteredAndUnderItsKey() {
        byte[] plain = "NLMB1 udi=PID:C1111-4P,SN:X\n-----BEGIN PRIVATE KEY-----".getBytes(StandardCharsets.UTF_8);
        String place = BundleVault.bundleContext(order, "PID:C1111-4P,SN:X");
        byte[] sealed = vault.seal(place, plain);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("PRIVATE KEY", "NLMB1");
        assertThat(sealed).hasSize(12 + plain.length + 16);
        assertThat(vault.open(place, sealed)).isEqualTo(plain);
        // A fresh nonce each time: the same bundle never seals to the same bytes.
        assertThat(vault.seal(place, plain)).isNotEqualTo(sealed);

        assertThatThrownBy(() -> vault.open(BundleVault.bundleContext(order, "PID:C1111-4P,SN:Y"), sealed))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not decrypt");
        assertThatThrownBy(() -> vault.open(BundleVault.archiveContext(order), sealed)).isInstanceOf(IllegalStateException.class);
        byte[] altered = sealed.clone();
        altered[20] ^= 1;
        assertThatThrownBy(() -> vault.open(place, altered)).isInstanceOf(IllegalStateException.class);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        assertThatThrownBy(() -> new BundleVault(otherKey).open(place, sealed)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> vault.open(place, new byte[10])).hasMessageContaining("cut short");
    }

    @Test
    void aFreshRunGeneratesAnOwnerOnlyKeyAndLaterRunsReadIt() throws Exception {
        ManufacturingProperties properties = new ManufacturingProperties(50, 1000,
                new ManufacturingProperties.BundleKey(null, true, tmp.resolve("keys")));
        BundleVault first = new BundleVault(properties);
        Path file = tmp.resolve("keys").resolve(BundleVault.GENERATED_KEY_FILE);
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        byte[] sealed = first.seal("archive:x", new byte[] {1, 2, 3});
        assertThat(new BundleVault(properties).open("archive:x", sealed)).containsExactly(1, 2, 3);

        ManufacturingProperties strict = new ManufacturingProperties(50, 1000,
                new ManufacturingProperties.BundleKey(null, false, tmp.resolve("none")));
        assertThatThrownBy(() -> new BundleVault(strict)).hasMessageContaining("nodelock.manufacturing.bundle-key.key-file");
        Files.writeString(tmp.resolve("short.b64"), "AAAA\n");
        assertThatThrownBy(() -> new BundleVault(new ManufacturingProperties(50, 1000,
                new ManufacturingProperties.BundleKey(tmp.resolve("short.b64"), false, tmp)))).hasMessageContaining("not 32");
    }
}
