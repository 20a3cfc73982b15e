package io.nodelock.licensefile;

import io.nodelock.licensefile.Verification.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Checks license lines against a fixed set of trusted public keys. Thread-safe: the trust store is immutable and
 * each call uses its own Ed25519Signer.
 */
public final class LicenseVerifier {

    private final Map<String, Ed25519PublicKeyParameters> trusted;

    /** Trust store keyed by key id; each key must be the id of its own key, so a store cannot alias keys. */
    public LicenseVerifier(Map<String, PublicKeyInfo> trustStore) {
        Map<String, Ed25519PublicKeyParameters> m = new LinkedHashMap<>();
        trustStore.forEach((id, info) -> {
            if (!info.keyId().equals(id)) {
                throw new IllegalArgumentException("trust store maps key id " + id + " to key " + info.keyId());
            }
            m.put(id, info.parameters());
        });
        this.trusted = Map.copyOf(m);
    }

    public LicenseVerifier(Collection<PublicKeyInfo> keys) {
        Map<String, Ed25519PublicKeyParameters> m = new LinkedHashMap<>();
        for (PublicKeyInfo k : keys) {
            m.put(k.keyId(), k.parameters());
        }
        this.trusted = Map.copyOf(m);
    }

    /** Signature check only: OK, UNSIGNED, UNKNOWN_KEY_ID or BAD_SIGNATURE. */
    public Verification verify(LicenseLine line) {
        Objects.requireNonNull(line, "line");
        if (!line.isSigned()) {
            return Verification.of(Status.UNSIGNED, "line " + line.licenseId() + " is unsigned");
        }
        Ed25519PublicKeyParameters key = trusted.get(line.keyId());
        if (key == null) {
            return Verification.of(Status.UNKNOWN_KEY_ID, "line " + line.licenseId() + " is signed by key "
                    + line.keyId() + ", which is not trusted (trusted: " + String.join(", ", trusted.keySet().stream()
                    .sorted().toList()) + ")");
        }
        byte[] message = line.signingInputBytes();
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        if (!verifier.verifySignature(line.signature())) {
            return Verification.of(Status.BAD_SIGNATURE, "line " + line.licenseId()
                    + " has a bad signature: it was altered after signing or not signed by key " + line.keyId());
        }
        return Verification.of(Status.OK, "line " + line.licenseId() + " is validly signed by key " + line.keyId());
    }

    /**
     * Full device check, in this order: signature ({@link #verify}), UDI binding (PID+SN; VID ignored),
     * {@code now >= notBefore}, {@code now < notAfter}.
     */
    public Verification verifyFor(LicenseLine line, Udi device, Instant now) {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(now, "now");
        Verification sig = verify(line);
        if (!sig.ok()) {
            return sig;
        }
        if (!line.udi().sameDevice(device)) {
            return Verification.of(Status.UDI_MISMATCH, "UDI mismatch: line " + line.licenseId() + " is for "
                    + line.udi().binding() + ", device is " + device.binding());
        }
        if (line.notBefore() != null && now.isBefore(line.notBefore())) {
            return Verification.of(Status.NOT_YET_VALID, "line " + line.licenseId() + " is not valid before "
                    + line.notBefore() + " (now " + now + ")");
        }
        if (line.notAfter() != null && !now.isBefore(line.notAfter())) {
            return Verification.of(Status.EXPIRED, "line " + line.licenseId() + " expired at " + line.notAfter()
                    + " (now " + now + ")");
        }
        return Verification.of(Status.OK, "line " + line.licenseId() + " (" + line.feature() + ", "
                + line.type().wireName() + ") is valid for " + device.binding());
    }

    /** Parses a license file and checks each line's signature; unparsable lines come back as MALFORMED. */
    public FileVerification verifyFile(String fileText) {
        return verifyFile(fileText, null, null);
    }

    /** Parses a license file and runs {@link #verifyFor} on each line; unparsable lines come back as MALFORMED. */
    public FileVerification verifyFile(String fileText, Udi device, Instant now) {
        if ((device == null) != (now == null)) {
            throw new IllegalArgumentException("give both device and now, or neither");
        }
        LicenseFile.Parsed parsed = LicenseFile.parse(fileText);
        List<FileVerification.LineResult> results = new ArrayList<>();
        for (LicenseFile.Entry e : parsed.entries()) {
            Verification v = device == null ? verify(e.line()) : verifyFor(e.line(), device, now);
            results.add(new FileVerification.LineResult(e.lineNumber(), e.line(), v));
        }
        for (LicenseFile.Rejection r : parsed.rejections()) {
            results.add(new FileVerification.LineResult(r.lineNumber(), null,
                    Verification.of(Status.MALFORMED, r.reason() + ": " + r.message())));
        }
        results.sort((a, b) -> Integer.compare(a.lineNumber(), b.lineNumber()));
        return new FileVerification(results);
    }
}
