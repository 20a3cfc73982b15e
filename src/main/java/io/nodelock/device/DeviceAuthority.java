package io.nodelock.device;

import io.nodelock.licensefile.DeviceCertificate;
import io.nodelock.licensefile.DeviceCertificateVerifier;
import io.nodelock.licensefile.ManufacturingAuthority;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.license.KeyFiles;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.Udi;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
            PublicKeyInfo key = PublicKeyInfo.fromPem(KeyFiles.read(extra));
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
        return KeyFiles.loadOrGenerate("manufacturing authority key", properties.keyFile(), properties.generateIfMissing(),
                properties.generatedKeyDir().resolve(GENERATED_KEY_FILE), "set nodelock.devices.authority.key-file (PKCS#8 PEM)");
    }
}
