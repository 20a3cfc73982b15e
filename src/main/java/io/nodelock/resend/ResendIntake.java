package io.nodelock.resend;

import static io.nodelock.resend.ResendRefusals.*;
import static io.nodelock.resend.process.ResendProcess.*;

import io.nodelock.audit.AuditLog;
import io.nodelock.device.Device;
import io.nodelock.device.Devices;
import io.nodelock.license.License;
import io.nodelock.license.Licenses;
import io.nodelock.licensefile.Udi;
import io.nodelock.licensefile.UdiSyntaxException;
import io.nodelock.notification.MailOutbox;
import io.nodelock.workflow.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.operaton.bpm.engine.RuntimeService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The resend flow's intake, for the customer's API and the device's Call Home alike: checks the request, and within the
 * day's limit stores it and starts its license-resend instance in one transaction. The steps are {@link ResendSteps}.
 */
@Service
public class ResendIntake {

    /** The channels a resend comes in by; the flow is the same. */
    public static final String CHANNEL_API = "api";
    public static final String CHANNEL_CALL_HOME = "call-home";

    private final Resends resends;
    private final Devices devices;
    private final Licenses licenses;
    private final MailOutbox outbox;
    private final AuditLog audit;
    private final ResendProperties properties;
    private final RuntimeService runtime;
    private final TransactionTemplate transactions;

    public ResendIntake(Resends resends, Devices devices, Licenses licenses, MailOutbox outbox, AuditLog audit,
                        ResendProperties properties, RuntimeService runtime, TransactionTemplate transactions) {
        this.resends = resends;
        this.devices = devices;
        this.licenses = licenses;
        this.outbox = outbox;
        this.audit = audit;
        this.properties = properties;
        this.runtime = runtime;
        this.transactions = transactions;
    }

    /** The first reason the device's licenses cannot be sent again, if any (the day's limit is checked on submission). */
    public Optional<Refusal> check(String accountId, String udiText) {
        if (udiText == null || udiText.isBlank()) {
            return Optional.of(Refusal.of(REQUEST_INVALID, "udi", "udi is missing: enter it as PID:<product id>,SN:<serial number>"));
        }
        Udi udi;
        try {
            udi = Udi.parse(udiText);
        } catch (UdiSyntaxException e) {
            return Optional.of(Refusal.of(UDI_INVALID, "udi", e.getMessage()));
        }
        return ownership(accountId, udi);
    }

    /** The device is the account's and not locked, and holds an active license: checked at intake and again by the flow. */
    Optional<Refusal> ownership(String accountId, Udi udi) {
        Optional<Device> device = devices.find(udi);
        // Another account's device is answered exactly like one that does not exist: no existence oracle.
        if (device.isEmpty() || !device.get().accountId().equals(accountId)) {
            return Optional.of(Refusal.of(UNKNOWN_UDI, "udi", "Your account holds no licensed device " + udi.binding()
                    + ": check the UDI."));
        }
        if (device.get().locked()) {
            return Optional.of(Refusal.of(DEVICE_LOCKED, "udi", "Device " + udi.binding() + " is locked ("
                    + device.get().lockedReason() + "): its licenses are not sent again."));
        }
        if (licenses.ofDevice(udi.binding(), License.Status.ACTIVE).isEmpty()) {
            return Optional.of(Refusal.of(NO_ACTIVE_LICENSES, "udi", "Device " + udi.binding() + " holds no active license "
                    + "(transferred and replaced ones moved to another device)."));
        }
        return Optional.empty();
    }

    /**
     * Accepts a checked request and starts its process, in one transaction that counts the UDI's resends of the day
     * under a lock of the device's row.
     */
    public Resend submit(String accountId, String requestedBy, String udiText, String channel) {
        check(accountId, udiText).ifPresent(refusal -> {
            throw FLOW.refuse(refusal);
        });
        Udi udi = Udi.parse(udiText);
        Instant now = Instant.now();
        Instant dayStart = LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        return transactions.execute(status -> {
            if (resends.countSinceLocked(udi.binding(), dayStart) >= properties.maxPerDay()) {
                long retryAfter = Duration.between(now, dayStart.plus(Duration.ofDays(1))).toSeconds();
                throw FLOW.refuse(Refusal.of(RESEND_LIMIT_REACHED, "udi", "Device " + udi.binding() + " had its licenses sent "
                        + properties.maxPerDay() + " times today (UTC), the most a day; ask again tomorrow.")
                        .with("retryAfterSeconds", retryAfter));
            }
            UUID id = UUID.randomUUID();
            Map<String, Object> variables = new HashMap<>();
            variables.put(VAR_RESEND_ID, id.toString());
            variables.put(VAR_ACCOUNT_ID, accountId);
            variables.put(VAR_UDI, udi.binding());
            variables.put(VAR_CHANNEL, channel);
            String instance = runtime.startProcessInstanceByKey(PROCESS_KEY, id.toString(), variables).getId();
            Resend resend = new Resend(id, accountId, requestedBy, channel, udi, ResendStatus.SUBMITTED, null, List.of(), null, null,
                    null, instance, now.truncatedTo(ChronoUnit.MICROS), null);
            resends.insert(resend);
            audit.record(requestedBy, "resend.requested", "resend:" + id, "licenses of " + udi.binding() + " by " + channel);
            return resend;
        });
    }

    public Optional<Resend> find(UUID id, String accountId, boolean operator) {
        return resends.find(id).filter(r -> operator || r.accountId().equals(accountId));
    }

    public Optional<MailOutbox.MailStatus> mail(UUID id) {
        return outbox.find(ResendMails.mailKey(id));
    }
}
