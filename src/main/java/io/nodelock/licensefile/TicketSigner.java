package io.nodelock.licensefile;

import java.util.Objects;

/**
 * Signs the ticket formats with one {@link SigningKey}: the service signs permission tickets, a device signs its
 * rehost tickets and credentials. Thread-safe.
 */
public final class TicketSigner {

    private final SigningKey key;

    public TicketSigner(SigningKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    public String keyId() {
        return key.keyId();
    }

    /** Returns the ticket with this signer's key id and signature; any earlier key id or signature is replaced. */
    public PermissionTicket sign(PermissionTicket ticket) {
        PermissionTicket unsigned = ticket.withSignature(key.keyId(), null);
        return unsigned.withSignature(key.keyId(), Ed25519.sign(key, unsigned.signingInput()));
    }

    /** Signs a rehost ticket; it must carry this signer's public key as its device key. */
    public RehostTicket sign(RehostTicket ticket) {
        requireOwnKey(ticket.deviceKey());
        return ticket.withSignature(Ed25519.sign(key, ticket.signingInput()));
    }

    /** Signs a device credential; it must carry this signer's public key as its device key. */
    public DeviceCredential sign(DeviceCredential credential) {
        requireOwnKey(credential.deviceKey());
        return credential.withSignature(Ed25519.sign(key, credential.signingInput()));
    }

    private void requireOwnKey(PublicKeyInfo deviceKey) {
        if (!deviceKey.equals(key.publicKey())) {
            throw new IllegalArgumentException("device key " + deviceKey.keyId() + " is not this signer's key "
                    + key.keyId());
        }
    }

    @Override
    public String toString() {
        return "TicketSigner[keyId=" + key.keyId() + "]";
    }
}
