package io.nodelock.licensefile;

import io.nodelock.licensefile.TicketVerification.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Checks tickets: permission tickets against a fixed set of trusted service keys, rehost tickets and device
 * credentials against the device key they carry. Thread-safe.
 */
public final class TicketVerifier {

    /** How far a permission ticket's issue time may lie ahead of the checker's clock. */
    public static final Duration ISSUE_SKEW = Duration.ofMinutes(5);

    private final Map<String, PublicKeyInfo> trusted;

    public TicketVerifier(Collection<PublicKeyInfo> serviceKeys) {
        Map<String, PublicKeyInfo> m = new LinkedHashMap<>();
        for (PublicKeyInfo k : serviceKeys) {
            m.put(k.keyId(), k);
        }
        this.trusted = Map.copyOf(m);
    }

    /**
     * What a device checks before it revokes anything, in this order: signed by a trusted key id, signature,
     * ticket's UDI binding is this device's, {@code issued - 5 min <= now < expires}.
     */
    public TicketVerification verifyPermission(PermissionTicket ticket, Udi device, Instant now) {
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(now, "now");
        String name = "permission ticket " + ticket.ticketId();
        if (ticket.signature() == null) {
            return TicketVerification.of(Status.BAD_SIGNATURE, name + " is unsigned");
        }
        PublicKeyInfo key = trusted.get(ticket.keyId());
        if (key == null) {
            return TicketVerification.of(Status.UNKNOWN_KEY_ID, name + " is signed by key " + ticket.keyId()
                    + ", which is not trusted (trusted: " + String.join(", ", new TreeSet<>(trusted.keySet())) + ")");
        }
        if (!Ed25519.verify(key, ticket.signingInput(), ticket.signature())) {
            return TicketVerification.of(Status.BAD_SIGNATURE, name
                    + " has a bad signature: it was altered after signing or not signed by key " + ticket.keyId());
        }
        if (!ticket.udi().sameDevice(device)) {
            return TicketVerification.of(Status.UDI_MISMATCH, "UDI mismatch: " + name + " is for "
                    + ticket.udi().binding() + ", device is " + device.binding());
        }
        if (now.plus(ISSUE_SKEW).isBefore(ticket.issuedAt())) {
            return TicketVerification.of(Status.NOT_YET_VALID, name + " is issued in the future ("
                    + ticket.issuedAt() + ", now " + now + ")");
        }
        if (!now.isBefore(ticket.expiresAt())) {
            return TicketVerification.of(Status.EXPIRED, name + " expired at " + ticket.expiresAt() + " (now "
                    + now + ")");
        }
        return TicketVerification.of(Status.OK, name + " is valid for " + device.binding());
    }

    /** Signature check of a rehost ticket with the device key it carries. */
    public static TicketVerification verifyRehost(RehostTicket ticket) {
        Objects.requireNonNull(ticket, "ticket");
        if (ticket.signature() == null || !Ed25519.verify(ticket.deviceKey(), ticket.signingInput(),
                ticket.signature())) {
            return TicketVerification.of(Status.BAD_SIGNATURE, "rehost ticket for " + ticket.permissionTicketId()
                    + " has a bad signature: altered, or not signed by device key " + ticket.deviceKey().keyId());
        }
        return TicketVerification.of(Status.OK, "rehost ticket for " + ticket.permissionTicketId()
                + " is signed by device key " + ticket.deviceKey().keyId());
    }

    /**
     * What the service checks when a rehost ticket comes back: its signature, that it answers {@code permission}
     * (same ticket id, same UDI binding, the same license ids in the same order) and, when the service knows the
     * device's key from an earlier credential ({@code knownDeviceKey}, may be null), that it is signed by that key.
     */
    public static TicketVerification verifyRehostFor(RehostTicket ticket, PermissionTicket permission,
            PublicKeyInfo knownDeviceKey) {
        TicketVerification sig = verifyRehost(ticket);
        if (!sig.ok()) {
            return sig;
        }
        if (!ticket.permissionTicketId().equals(permission.ticketId())) {
            return TicketVerification.of(Status.MISMATCH, "rehost ticket answers permission ticket "
                    + ticket.permissionTicketId() + ", not " + permission.ticketId());
        }
        if (!ticket.udi().sameDevice(permission.udi())) {
            return TicketVerification.of(Status.UDI_MISMATCH, "UDI mismatch: rehost ticket is from "
                    + ticket.udi().binding() + ", permission was for " + permission.udi().binding());
        }
        if (!ticket.licenseIds().equals(permission.licenseIds())) {
            return TicketVerification.of(Status.MISMATCH, "rehost ticket revoked " + ticket.licenseIds()
                    + ", permission ticket named " + permission.licenseIds());
        }
        if (knownDeviceKey != null && !knownDeviceKey.equals(ticket.deviceKey())) {
            return TicketVerification.of(Status.MISMATCH, "rehost ticket is signed by device key "
                    + ticket.deviceKey().keyId() + ", the device's known key is " + knownDeviceKey.keyId());
        }
        return TicketVerification.of(Status.OK, "rehost ticket proves revocation of " + ticket.licenseIds()
                + " on " + ticket.udi().binding());
    }

    /** Signature check of a device credential with the key it carries (proof that the device holds the key). */
    public static TicketVerification verifyCredential(DeviceCredential credential) {
        Objects.requireNonNull(credential, "credential");
        if (credential.signature() == null || !Ed25519.verify(credential.deviceKey(), credential.signingInput(),
                credential.signature())) {
            return TicketVerification.of(Status.BAD_SIGNATURE, "device credential of " + credential.udi().binding()
                    + " has a bad signature");
        }
        return TicketVerification.of(Status.OK, "device credential of " + credential.udi().binding()
                + " is signed by its device key " + credential.deviceKey().keyId());
    }
}
