package io.nodelock.device;

import io.nodelock.audit.AuditLog;
import io.nodelock.licensefile.CertificateVerification;
import io.nodelock.licensefile.DeviceCredential;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.Udi;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * The trust rule for device keys (docs/device-identity.md): a key is the UDI's when a certificate from a trusted
 * authority presents it; a certified key once recorded stays; a credential without a certificate is trusted on first use
 * only where {@code nodelock.devices.trust-on-first-use} allows it and the UDI has no certified key.
 */
@Service
public class DeviceTrust {

    private final DeviceKeys keys;
    private final DeviceAuthority authority;
    private final DeviceProperties properties;
    private final AuditLog audit;

    public DeviceTrust(DeviceKeys keys, DeviceAuthority authority, DeviceProperties properties, AuditLog audit) {
        this.keys = keys;
        this.authority = authority;
        this.properties = properties;
        this.audit = audit;
    }

    /** How a credential's key was judged. */
    public enum Outcome {
        /** {@link Decision#key()} is the UDI's key and the credential carries it. */
        TRUSTED,
        /** No certificate, and trust on first use is off (or does not apply). */
        UNCERTIFIED,
        /** A certificate is present but not OK (unknown issuer, forged, another device's or key's, expired...). */
        CERTIFICATE_REFUSED,
        /** The UDI's recorded key is another one; {@link Decision#key()} is the recorded key. */
        KEY_MISMATCH
    }

    public record Decision(Outcome outcome, PublicKeyInfo key, String message) {
        public boolean trusted() {
            return outcome == Outcome.TRUSTED;
        }
    }

    /**
     * Judges the key of a credential whose own signature the caller has verified, for a UDI the account holds, and
     * records a certified key (or, with trust on first use, the first uncertified one). Call it outside a transaction:
     * on PostgreSQL a failed insert ends the transaction it runs in.
     */
    public Decision judge(String accountId, DeviceCredential credential) {
        Udi udi = credential.udi();
        PublicKeyInfo presented = credential.deviceKey();
        Optional<DeviceKeys.RecordedKey> recorded = keys.findRecord(udi);
        // A certified key wins over anything presented later, whatever certificate comes with it.
        if (recorded.isPresent() && recorded.get().certified() && !recorded.get().key().equals(presented)) {
            return new Decision(Outcome.KEY_MISMATCH, recorded.get().key(), "The credential carries device key " + presented.keyId()
                    + ", but " + udi.binding() + " has the certified key " + recorded.get().key().keyId() + " (certificate "
                    + recorded.get().certificateSerial() + " of authority " + recorded.get().certificateIssuer() + ").");
        }
        if (credential.certificate() != null) {
            return certified(accountId, credential);
        }
        if (!properties.trustOnFirstUse()) {
            return new Decision(Outcome.UNCERTIFIED, null, "The credential of " + udi.binding() + " carries no device certificate, and "
                    + "this service trusts only certified device keys: save the credential again on a device made from a "
                    + "manufacturing bundle ('license save credential' adds its certificate).");
        }
        if (recorded.isPresent() && recorded.get().certified()) {
            // The same key as certified before: the certificate was only left off.
            return new Decision(Outcome.TRUSTED, presented, null);
        }
        DeviceKeys.Registration registration = keys.registerOnFirstUse(udi, accountId, presented);
        if (registration.registeredNow()) {
            audit.record(accountId, "device-key.registered", "device:" + udi.binding(), "device key " + presented.keyId()
                    + " registered on first use (uncertified)");
        }
        if (!registration.key().equals(presented)) {
            return new Decision(Outcome.KEY_MISMATCH, registration.key(), "The credential carries device key " + presented.keyId()
                    + ", but " + udi.binding() + " is registered with key " + registration.key().keyId() + " since its first credential.");
        }
        return new Decision(Outcome.TRUSTED, presented, null);
    }

    private Decision certified(String accountId, DeviceCredential credential) {
        Udi udi = credential.udi();
        CertificateVerification verification = authority.verifier().verifyCredential(credential, Instant.now());
        if (!verification.ok()) {
            return new Decision(Outcome.CERTIFICATE_REFUSED, null, "The device certificate of " + udi.binding() + " is not accepted ("
                    + verification.status() + "): " + verification.message());
        }
        PublicKeyInfo key = verification.certifiedKey();
        String serial = verification.certificate().serial();
        String issuer = verification.certificate().issuerKeyId();
        Optional<PublicKeyInfo> before = keys.find(udi);
        switch (keys.recordCertified(udi, accountId, key, serial, issuer)) {
            case RECORDED -> audit.record(accountId, "device-key.certified", "device:" + udi.binding(), "device key " + key.keyId()
                    + " recorded from certificate " + serial + " of authority " + issuer);
            case REPLACED_UNCERTIFIED -> audit.record(accountId, "device-key.certified", "device:" + udi.binding(), "device key "
                    + key.keyId() + " recorded from certificate " + serial + " of authority " + issuer + ", replacing the key "
                    + before.map(PublicKeyInfo::keyId).orElse("?") + " registered on first use");
            case ALREADY_RECORDED -> {
            }
            case OTHER_CERTIFIED_KEY -> {
                PublicKeyInfo winner = keys.find(udi).orElseThrow();
                return new Decision(Outcome.KEY_MISMATCH, winner, "The credential carries device key " + key.keyId() + ", but "
                        + udi.binding() + " has the certified key " + winner.keyId() + ".");
            }
        }
        return new Decision(Outcome.TRUSTED, key, null);
    }
}
