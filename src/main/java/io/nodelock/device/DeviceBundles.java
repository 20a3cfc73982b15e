package io.nodelock.device;

import io.nodelock.audit.AuditLog;
import io.nodelock.licensefile.DeviceCertificate;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.ManufacturingBundle;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.Udi;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes certified devices, one at a time ({@code POST /api/v1/devices/bundles}) or by manufacturing order (package
 * {@code manufacturing}), on one path: a shipping record for the account, a new device key certified by the service's
 * authority and recorded as the UDI's key, and the manufacturing bundle that carries them, with any preinstalled license
 * lines, to the device. The private key leaves this class only in the bundle; the caller decides what becomes of it.
 */
@Service
public class DeviceBundles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeviceRegistry registry;
    private final Devices devices;
    private final DeviceKeys keys;
    private final DeviceAuthority authority;
    private final AuditLog audit;

    public DeviceBundles(DeviceRegistry registry, Devices devices, DeviceKeys keys, DeviceAuthority authority, AuditLog audit) {
        this.registry = registry;
        this.devices = devices;
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

    /** Why {@link #make} would refuse a UDI for an account. */
    public enum Obstacle {
        /** Another account holds the UDI ({@link DeviceRegistry.ShipmentConflict}). */
        ANOTHER_ACCOUNTS,
        /** The UDI has a certified key already ({@link AlreadyCertified}). */
        ALREADY_CERTIFIED
    }

    /**
     * What would stop {@link #make} for this UDI now, without changing anything: callers that must not fail a larger
     * transaction (a manufacturing batch) ask first, since an exception out of {@link #make} rolls back the caller's.
     */
    public Optional<Obstacle> obstacle(String accountId, Udi udi) {
        if (devices.shipmentOf(udi, accountId) == Devices.Shipment.ANOTHER_ACCOUNTS) {
            return Optional.of(Obstacle.ANOTHER_ACCOUNTS);
        }
        if (keys.findRecord(udi).filter(DeviceKeys.RecordedKey::certified).isPresent()) {
            return Optional.of(Obstacle.ALREADY_CERTIFIED);
        }
        return Optional.empty();
    }

    /**
     * Records the device for the account and returns its bundle text; all or nothing.
     *
     * @throws DeviceRegistry.ShipmentConflict when another account holds the UDI
     * @throws AlreadyCertified                when the UDI has a certified key already
     */
    @Transactional
    public String issue(String operator, String accountId, Udi udi, String reference) {
        return make(operator, accountId, udi, reference, List.of()).toText();
    }

    /**
     * Makes one certified device: the UDI ships to the account (unless it is the account's already), a new device key
     * is certified and recorded as the UDI's key, and the bundle carries key, certificate, the service's authority and
     * the given preinstalled license lines (signed for this UDI by the caller). Audited without the private key.
     *
     * @param actor     who is audited as making it (an operator, or the system for an order's step)
     * @param reference the shipping record's reference (at most 100 characters)
     * @throws DeviceRegistry.ShipmentConflict when another account holds the UDI
     * @throws AlreadyCertified                when the UDI has a certified key already
     */
    @Transactional
    public ManufacturingBundle make(String actor, String accountId, Udi udi, String reference, List<LicenseLine> preinstalled) {
        keys.findRecord(udi).filter(DeviceKeys.RecordedKey::certified).ifPresent(k -> {
            throw new AlreadyCertified(udi, k.key().keyId());
        });
        if (devices.shipmentOf(udi, accountId) != Devices.Shipment.ALREADY_THE_ACCOUNTS) {
            registry.ship(actor, accountId, reference, List.of(udi));
        }
        SigningKey deviceKey = SigningKey.generate();
        String serial = "NL-" + HexFormat.of().formatHex(randomBytes());
        DeviceCertificate certificate = authority.issue(serial, udi, deviceKey.publicKey());
        DeviceKeys.CertifiedRecord recorded = keys.recordCertified(udi, accountId, deviceKey.publicKey(), serial, authority.keyId());
        if (recorded == DeviceKeys.CertifiedRecord.OTHER_CERTIFIED_KEY) {
            throw new AlreadyCertified(udi, keys.find(udi).orElseThrow().keyId());
        }
        audit.record(actor, "device.bundle-issued", "device:" + udi.binding(), "manufacturing bundle for account " + accountId
                + " (" + reference + "): device key " + deviceKey.keyId() + " certified by " + serial + " of authority "
                + authority.keyId() + " until " + certificate.notAfter()
                + (preinstalled.isEmpty() ? "" : ", " + preinstalled.size() + " preinstalled license line(s)")
                + (recorded == DeviceKeys.CertifiedRecord.REPLACED_UNCERTIFIED ? ", replacing a key registered on first use" : ""));
        return ManufacturingBundle.of(udi, deviceKey, certificate, List.of(authority.publicKey()), preinstalled);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
