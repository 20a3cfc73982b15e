package io.nodelock.callhome;

import io.nodelock.audit.AuditLog;
import io.nodelock.device.Device;
import io.nodelock.device.DeviceKeys;
import io.nodelock.device.Devices;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.license.SigningKeys;
import io.nodelock.licensefile.CallHomeRequest;
import io.nodelock.licensefile.CallHomeResponse;
import io.nodelock.licensefile.TicketFormatException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Answers a device's License Call Home request (docs/call-home.md). The request must be signed by the key recorded for
 * its UDI from the device's certificate, be fresh, and carry a nonce not seen before; then its operation runs through
 * the same intake as the customer's request (the device is one more way in, not a second implementation), and the
 * answer is signed with the service's key. The operations are {@link CallHomeOperations}'.
 */
@Service
public class CallHome {

    /** How far a request's time may be from the service's clock; nonces are kept twice as long. */
    public static final Duration WINDOW = Duration.ofMinutes(5);
    /** The channel of a request, where its consent or resend records one. */
    public static final String CHANNEL = "call-home";

    /** A request the service will not answer with a signed response: it cannot tell who sent it, or has seen it. */
    public static class Unanswerable extends RuntimeException {
        private final int status;
        private final String type;

        Unanswerable(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }

        public int status() {
            return status;
        }

        public String type() {
            return type;
        }
    }

    private final DeviceKeys deviceKeys;
    private final Devices devices;
    private final CallHomeOperations operations;
    private final SigningKeys keys;
    private final AuditLog audit;
    private final JdbcTemplate jdbc;

    CallHome(DeviceKeys deviceKeys, Devices devices, CallHomeOperations operations, SigningKeys keys, AuditLog audit,
             JdbcTemplate jdbc) {
        this.deviceKeys = deviceKeys;
        this.devices = devices;
        this.operations = operations;
        this.keys = keys;
        this.audit = audit;
        this.jdbc = jdbc;
    }

    /**
     * The signed answer to a request file (its first non-comment line is the NLCH1 request); the remote address and
     * user agent are recorded with a EULA consent the request carries.
     */
    public CallHomeResponse answer(String requestFile, String remoteAddress, String userAgent) {
        CallHomeRequest request = parse(requestFile);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        DeviceKeys.RecordedKey key = deviceKeys.findRecord(request.udi()).filter(DeviceKeys.RecordedKey::certified).orElseThrow(() ->
                new Unanswerable(403, "uncertified-device", "No certified device key is recorded for " + request.udi().binding()
                        + ": Call Home needs a device made from a manufacturing bundle (docs/device-identity.md)."));
        if (!request.signedBy(key.key())) {
            throw new Unanswerable(401, "bad-signature", "The request is not signed by the certified key of " + request.udi().binding() + ".");
        }
        if (!request.freshAt(now, WINDOW)) {
            throw new Unanswerable(400, "stale-request", "The request's time " + request.time() + " is more than " + WINDOW.toMinutes()
                    + " minutes from the service's clock " + now + ": check the device's clock.");
        }
        jdbc.update("delete from call_home_nonce where received_at < ?", Timestamp.from(now.minus(WINDOW.multipliedBy(2))));
        try {
            jdbc.update("insert into call_home_nonce (nonce, udi, received_at) values (?, ?, ?)", request.nonceText(),
                    request.udi().binding(), Timestamp.from(now));
        } catch (DuplicateKeyException replay) {
            throw new Unanswerable(409, "replayed-request", "This request was answered already: a device sends every request with a new nonce.");
        }
        Device device = devices.find(request.udi()).orElseThrow(() -> new Unanswerable(403, "uncertified-device",
                "Device " + request.udi().binding() + " belongs to no account."));
        audit.record("device:" + request.udi().binding(), "call-home." + request.op(), "device:" + request.udi().binding(),
                "nonce " + request.nonceText());
        return keys.answer(request, now, "ok", operations.run(request,
                new CallHomeOperations.Caller(request.udi(), device, new ConsentOrigin(CHANNEL, remoteAddress, userAgent))));
    }

    private static CallHomeRequest parse(String file) {
        if (file == null || file.length() > 16_384) {
            throw new Unanswerable(400, "malformed-request", "Send the request file 'license call-home' wrote (at most 16 KiB).");
        }
        String line = file.lines().map(String::strip).filter(l -> l.startsWith(CallHomeRequest.PREFIX + " ")).findFirst()
                .orElseThrow(() -> new Unanswerable(400, "malformed-request", "The body holds no " + CallHomeRequest.PREFIX + " request line."));
        try {
            return CallHomeRequest.parse(line);
        } catch (TicketFormatException e) {
            throw new Unanswerable(400, "malformed-request", e.getMessage());
        }
    }
}
