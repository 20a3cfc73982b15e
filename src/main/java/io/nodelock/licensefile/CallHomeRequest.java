package io.nodelock.licensefile;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A device's signed License Call Home request (format v1, {@code docs/call-home.md}).
 *
 * <p>Text: {@code NLCH1 op=<op> udi=<udi> nonce=<16 bytes> time=<t> args=<bytes or -> keyid=<device kid> sig=<sig>};
 * {@code nonce}, {@code args} and {@code sig} are unpadded base64url. {@code args} is the operation's arguments as
 * UTF-8 JSON, signed as bytes (their spelling is the device's; the signature covers it). Signed by the device key over
 * {@link #SIGNING_DOMAIN} + the text up to {@code " sig="}. The nonce and the time make a captured request useless
 * later: the service refuses a nonce it has seen and a time outside its window.
 */
public record CallHomeRequest(String op, Udi udi, byte[] nonce, Instant time, byte[] args, String keyId, byte[] signature) {

    public static final String PREFIX = "NLCH1";
    public static final String SIGNING_DOMAIN = "nodelock/call-home-request/v1\n";
    public static final int NONCE_LENGTH = 16;
    /** Largest {@code args}: a request is one short line, not an upload channel. */
    public static final int MAX_ARGS = 4096;
    static final String KIND = "call home request";
    static final String[] FIELDS = {"op", "udi", "nonce", "time", "args", "keyid", "sig"};
    static final Pattern OP = Pattern.compile("[a-z][a-z-]{0,31}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public CallHomeRequest {
        SignedText.require(op != null && OP.matcher(op).matches(), "op must be 1-32 of a-z and '-', was " + op);
        SignedText.require(udi != null, "udi is required");
        SignedText.require(nonce != null && nonce.length == NONCE_LENGTH, "nonce must be " + NONCE_LENGTH + " bytes");
        nonce = nonce.clone();
        SignedText.wholeSeconds("time", time);
        SignedText.require(args == null || (args.length > 0 && args.length <= MAX_ARGS), "args must be 1 to " + MAX_ARGS + " bytes, or absent");
        args = args == null ? null : args.clone();
        SignedText.require(keyId != null && LicenseLine.KEY_ID.matcher(keyId).matches(), "keyId is malformed: " + keyId);
        if (signature != null) {
            SignedText.require(signature.length == LicenseLine.SIGNATURE_LENGTH, "signature must be 64 bytes");
            signature = signature.clone();
        }
    }

    /** A new request with a fresh random nonce, signed by the device key. */
    public static CallHomeRequest create(String op, Udi udi, String argsJson, Instant now, SigningKey deviceKey) {
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        return of(op, udi, nonce, now, argsJson, deviceKey);
    }

    /** A request with the given nonce, signed by the device key (fixed nonces are for test vectors). */
    public static CallHomeRequest of(String op, Udi udi, byte[] nonce, Instant now, String argsJson, SigningKey deviceKey) {
        CallHomeRequest unsigned = new CallHomeRequest(op, udi, nonce, now, argsJson == null ? null
                : argsJson.getBytes(StandardCharsets.UTF_8), deviceKey.keyId(), null);
        return unsigned.withSignature(Ed25519.sign(deviceKey, unsigned.signingInput()));
    }

    public static CallHomeRequest parse(String text) {
        Map<String, String> f = SignedText.split(KIND, PREFIX, text, FIELDS);
        CallHomeRequest r;
        try {
            r = new CallHomeRequest(op(f.get("op")), SignedText.udi(KIND, f.get("udi")),
                    SignedText.bytes(KIND, "nonce", f.get("nonce"), NONCE_LENGTH), SignedText.instant(KIND, "time", f.get("time")),
                    "-".equals(f.get("args")) ? null : SignedText.bytesUpTo(KIND, "args", f.get("args"), MAX_ARGS),
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

    private static String op(String value) {
        if (!OP.matcher(value).matches()) {
            throw new TicketFormatException(KIND + " op is malformed: '" + value + "'");
        }
        return value;
    }

    /** The arguments as the device wrote them (UTF-8 JSON), or null. */
    public String argsJson() {
        return args == null ? null : new String(args, StandardCharsets.UTF_8);
    }

    public String nonceText() {
        return SignedText.b64(nonce);
    }

    public String unsignedText() {
        return PREFIX + " op=" + op + " udi=" + udi + " nonce=" + SignedText.b64(nonce) + " time=" + time
                + " args=" + (args == null ? "-" : SignedText.b64(args)) + " keyid=" + keyId;
    }

    public String signingInput() {
        return SIGNING_DOMAIN + unsignedText();
    }

    public String toText() {
        if (signature == null) {
            throw new IllegalStateException("an unsigned call home request has no text form");
        }
        return unsignedText() + " sig=" + SignedText.b64(signature);
    }

    /** Whether the device key signed exactly this request. */
    public boolean signedBy(PublicKeyInfo deviceKey) {
        return deviceKey.keyId().equals(keyId) && signature != null && Ed25519.verify(deviceKey, signingInput(), signature);
    }

    /** Whether the request's time is within {@code window} of the receiver's clock, either way. */
    public boolean freshAt(Instant now, Duration window) {
        return !time.isBefore(now.minus(window)) && !time.isAfter(now.plus(window));
    }

    CallHomeRequest withSignature(byte[] sig) {
        return new CallHomeRequest(op, udi, nonce, time, args, keyId, sig);
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] args() {
        return args == null ? null : args.clone();
    }

    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CallHomeRequest r && op.equals(r.op) && udi.equals(r.udi) && Arrays.equals(nonce, r.nonce)
                && time.equals(r.time) && Arrays.equals(args, r.args) && keyId.equals(r.keyId) && Arrays.equals(signature, r.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, udi, time, keyId) * 31 + Arrays.hashCode(nonce);
    }

    @Override
    public String toString() {
        return "CallHomeRequest[" + unsignedText() + "]";
    }

}
