package io.nodelock.device;

import io.nodelock.audit.AuditLog;
import io.nodelock.licensefile.DeviceCertificate;
import io.nodelock.licensefile.ManufacturingBundle;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.Udi;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes certified devices until manufacturing orders do: a shipping record for the account, a new device key
 * certified by the service's authority and recorded as the UDI's key, and the manufacturing bundle that carries them to
 * the device. The private key leaves the service only in the answer; nothing keeps it.
 */
@Service
public class DeviceBundles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeviceRegistry registry;
    private final DeviceKeys keys;
    private final DeviceAuthority authority;
    private final AuditLog audit;

    public DeviceBundles(DeviceRegistry registry, DeviceKeys keys, DeviceAuthority authority, AuditLog audit) {
        this.registry = registry;
        this.keys = keys;
        this.authority = authority;
        this.audit = audit;
    }

    /** Thrown when the UDI has a certified key already: a second bundle would make a device the service refuses. */
    public static class AlreadyCertified extends RuntimeException {
        AlreadyCertified(Udi udi, String keyId) {
            super(udi.binding() + " has the certified device key " + keyId + " already; a device with another key would be refused");
        }
    }

    /**
     * Records the device for the account and returns its bundle text; all or nothing.
     *
     * @throws DeviceRegistry.ShipmentConflict when another account holds the UDI
     * @throws AlreadyCertified                when the UDI has a certified key already
     */
    @Transactional
    public String issue(String operator, String accountId, Udi udi, String reference) {
        keys.findRecord(udi).filter(DeviceKeys.RecordedKey::certified).ifPresent(k -> {
            throw new AlreadyCertified(udi, k.key().keyId());
        });
        registry.ship(operator, accountId, reference, List.of(udi));
        SigningKey deviceKey = SigningKey.generate();
        String serial = "NL-" + HexFormat.of().formatHex(randomBytes());
        DeviceCertificate certificate = authority.issue(serial, udi, deviceKey.publicKey());
        DeviceKeys.CertifiedRecord recorded = keys.recordCertified(udi, accountId, deviceKey.publicKey(), serial, authority.keyId());
        if (recorded == DeviceKeys.CertifiedRecord.OTHER_CERTIFIED_KEY) {
            throw new AlreadyCertified(udi, keys.find(udi).orElseThrow().keyId());
        }
        audit.record(operator, "device.bundle-issued", "device:" + udi.binding(), "manufacturing bundle for account " + accountId
                + " (" + reference + "): device key " + deviceKey.keyId() + " certified by " + serial + " of authority "
                + authority.keyId() + " until " + certificate.notAfter()
                + (recorded == DeviceKeys.CertifiedRecord.REPLACED_UNCERTIFIED ? ", replacing a key registered on first use" : ""));
        return ManufacturingBundle.of(udi, deviceKey, certificate, List.of(authority.publicKey()), List.of()).toText();
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
