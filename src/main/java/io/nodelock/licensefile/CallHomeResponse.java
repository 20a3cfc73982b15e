package io.nodelock.licensefile;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The service's signed answer to a License Call Home request (format v1, {@code docs/call-home.md}).
 *
 * <p>Text: {@code NLCR1 nonce=<request nonce> time=<t> status=<status> body=<bytes or -> keyid=<service kid> sig=<sig>}.
 * Signed by the service's license signing key over {@link #SIGNING_DOMAIN} + the text up to {@code " sig="}. A device
 * uses nothing of an answer before {@link #check} says OK: the signature of a key it trusts, its own request's nonce
 * (an answer to another request, or replayed, is refused), and a time within its window.
 */
public record CallHomeResponse(byte[] nonce, Instant time, String status, byte[] body, String keyId, byte[] signature) {

    public static final String PREFIX = "NLCR1";
    public static final String SIGNING_DOMAIN = "nodelock/call-home-response/v1\n";
    /** Largest body: a license file of many lines fits. */
    public static final int MAX_BODY = 262_144;
    static final String KIND = "call home response";
    static final String[] FIELDS = {"nonce", "time", "status", "body", "keyid", "sig"};
    static final Pattern STATUS = Pattern.compile("[a-z][a-z-]{0,31}");

    /** Why a device refuses an answer, or OK. */
    public enum Check { OK, UNKNOWN_KEY_ID, BAD_SIGNATURE, NONCE_MISMATCH, STALE }

    public CallHomeResponse {
        SignedText.require(nonce != null && nonce.length == CallHomeRequest.NONCE_LENGTH, "nonce must be 16 bytes");
        nonce = nonce.clone();
        SignedText.wholeSeconds("time", time);
        SignedText.require(status != null && STATUS.matcher(status).matches(), "status must be 1-32 of a-z and '-', was " + status);
        SignedText.require(body == null || (body.length > 0 && body.length <= MAX_BODY), "body must be 1 to " + MAX_BODY + " bytes, or absent");
        body = body == null ? null : body.clone();
        SignedText.require(keyId != null && LicenseLine.KEY_ID.matcher(keyId).matches(), "keyId is malformed: " + keyId);
        if (signature != null) {
            SignedText.require(signature.length == LicenseLine.SIGNATURE_LENGTH, "signature must be 64 bytes");
            signature = signature.clone();
        }
    }

    /** The service's answer to {@code request}, signed with its key. */
    public static CallHomeResponse answer(CallHomeRequest request, Instant now, String status, String bodyJson, SigningKey serviceKey) {
        CallHomeResponse unsigned = new CallHomeResponse(request.nonce(), now, status, bodyJson == null ? null
                : bodyJson.getBytes(StandardCharsets.UTF_8), serviceKey.keyId(), null);
        return new CallHomeResponse(unsigned.nonce, now, status, unsigned.body, serviceKey.keyId(),
                Ed25519.sign(serviceKey, unsigned.signingInput()));
    }

    public static CallHomeResponse parse(String text) {
        Map<String, String> f = SignedText.split(KIND, PREFIX, text, FIELDS);
        CallHomeResponse r;
        try {
            if (!STATUS.matcher(f.get("status")).matches()) {
                throw new TicketFormatException(KIND + " status is malformed: '" + f.get("status") + "'");
            }
            r = new CallHomeResponse(SignedText.bytes(KIND, "nonce", f.get("nonce"), CallHomeRequest.NONCE_LENGTH),
                    SignedText.instant(KIND, "time", f.get("time")), f.get("status"),
                    "-".equals(f.get("body")) ? null : SignedText.bytesUpTo(KIND, "body", f.get("body"), MAX_BODY),
                    SignedText.keyId(KIND, f.get("keyid")), SignedText.bytes(KIND, "sig", f.get("sig"), LicenseLine.SIGNATURE_LENGTH));
        } catch (TicketFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new TicketFormatException(KIND + ": " + e.getMessage(), e);
        }
        if (!r.toText().equals(text)) {
            throw new TicketFormatException(KIND + " is not in canonical form");
        }
        return r;
    }

    /**
     * What a device makes of this answer to its {@code request}: OK only if a trusted key signed it, it carries the
     * request's nonce, and its time is within {@code window} of the device's clock.
     */
    public Check check(CallHomeRequest request, Collection<PublicKeyInfo> trusted, Instant now, Duration window) {
        PublicKeyInfo key = trusted.stream().filter(k -> k.keyId().equals(keyId)).findFirst().orElse(null);
        if (key == null) {
            return Check.UNKNOWN_KEY_ID;
        }
        if (signature == null || !Ed25519.verify(key, signingInput(), signature)) {
            return Check.BAD_SIGNATURE;
        }
        if (!Arrays.equals(nonce, request.nonce())) {
            return Check.NONCE_MISMATCH;
        }
        if (time.isBefore(now.minus(window)) || time.isAfter(now.plus(window))) {
            return Check.STALE;
        }
        return Check.OK;
    }

    /** The body as the service wrote it (UTF-8 JSON), or null. */
    public String bodyJson() {
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    public String unsignedText() {
        return PREFIX + " nonce=" + SignedText.b64(nonce) + " time=" + time + " status=" + status
                + " body=" + (body == null ? "-" : SignedText.b64(body)) + " keyid=" + keyId;
    }

    public String signingInput() {
        return SIGNING_DOMAIN + unsignedText();
    }

    public String toText() {
        if (signature == null) {
            throw new IllegalStateException("an unsigned call home response has no text form");
        }
        return unsignedText() + " sig=" + SignedText.b64(signature);
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CallHomeResponse r && Arrays.equals(nonce, r.nonce) && time.equals(r.time) && status.equals(r.status)
                && Arrays.equals(body, r.body) && keyId.equals(r.keyId) && Arrays.equals(signature, r.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, status, keyId) * 31 + Arrays.hashCode(nonce);
    }

    @Override
    public String toString() {
        return "CallHomeResponse[" + PREFIX + " nonce=" + SignedText.b64(nonce) + " time=" + time + " status=" + status + "]";
    }
}
