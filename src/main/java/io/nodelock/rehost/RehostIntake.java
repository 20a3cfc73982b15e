package io.nodelock.rehost;

import static io.nodelock.rehost.process.RehostProcess.*;

import io.nodelock.audit.AuditLog;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.device.Device;
import io.nodelock.device.DeviceKeys;
import io.nodelock.device.DeviceTrust;
import io.nodelock.device.Devices;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.License;
import io.nodelock.license.LicenseIssuer;
import io.nodelock.license.Licenses;
import io.nodelock.licensefile.DeviceCredential;
import io.nodelock.licensefile.PermissionTicket;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.RehostTicket;
import io.nodelock.licensefile.TicketFormatException;
import io.nodelock.licensefile.TicketVerification;
import io.nodelock.licensefile.TicketVerifier;
import io.nodelock.licensefile.Udi;
import io.nodelock.licensefile.UdiSyntaxException;
import io.nodelock.notification.MailOutbox;
import io.nodelock.workflow.RefusedException;
import io.nodelock.workflow.Refusal;
import io.nodelock.rehost.Rehosts.StoredPermissionTicket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.operaton.bpm.engine.MismatchingMessageCorrelationException;
import org.operaton.bpm.engine.RuntimeService;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rehost flow's intake: verifies the source device, checks and stores a request and starts its license-rehost
 * instance in one transaction, redeems the device's rehost ticket, and answers what became of a rehost. The steps are
 * {@link RehostSteps}.
 */
@Service
public class RehostIntake {

    static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern LICENSE_ID = Pattern.compile("^[A-Za-z0-9-]{1,64}$");
    private static final int MAX_LICENSES = 100;
    /**
     * How far a device's clock may run behind the service's: a device that revokes the moment the permission ticket
     * arrives stamps a time its own clock gives, and a clock a second slow must not make that a mismatch.
     */
    static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(5);

    private final Rehosts rehosts;
    private final DeviceKeys deviceKeys;
    private final DeviceTrust deviceTrust;
    private final Devices devices;
    private final Licenses licenses;
    private final LicenseIssuer issuer;
    private final Catalogue catalogue;
    private final MailOutbox outbox;
    private final AuditLog audit;
    private final RuntimeService runtime;
    private final TransactionTemplate transactions;
    private final RehostProperties properties;

    public RehostIntake(Rehosts rehosts, Devices devices, Licenses licenses, LicenseIssuer issuer, Catalogue catalogue,
                        MailOutbox outbox, AuditLog audit, RuntimeService runtime, TransactionTemplate transactions,
                        RehostProperties properties, DeviceKeys deviceKeys, DeviceTrust deviceTrust) {
        this.rehosts = rehosts;
        this.devices = devices;
        this.licenses = licenses;
        this.issuer = issuer;
        this.catalogue = catalogue;
        this.outbox = outbox;
        this.audit = audit;
        this.runtime = runtime;
        this.transactions = transactions;
        this.properties = properties;
        this.deviceKeys = deviceKeys;
        this.deviceTrust = deviceTrust;
    }

    /** A source device proven by a valid credential of the account that holds it. */
    public record VerifiedSource(Udi udi, Device device, PublicKeyInfo deviceKey) {
    }

    // ---- Source device and its transferable licenses ----

    /**
     * Checks a device credential: format and self-signature, a known UDI held by the account and not locked, and the
     * device key by the trust rule of {@link DeviceTrust} (a certificate from a trusted authority; trust on first use
     * only where configured for uncertified devices).
     */
    public VerifiedSource verifySource(String accountId, String credentialText) {
        if (credentialText == null || credentialText.isBlank()) {
            throw refuse(RehostRefusals.REQUEST_INVALID, VAR_CREDENTIAL, "credential is missing: paste the file 'license save credential "
                    + "<file>' wrote on the source device.");
        }
        DeviceCredential credential;
        try {
            credential = DeviceCredential.parseFile(credentialText);
        } catch (TicketFormatException e) {
            throw refuse(RehostRefusals.BAD_CREDENTIAL, VAR_CREDENTIAL, "The device credential is not readable: " + e.getMessage());
        }
        TicketVerification signature = TicketVerifier.verifyCredential(credential);
        if (!signature.ok()) {
            throw refuse(RehostRefusals.BAD_CREDENTIAL, VAR_CREDENTIAL, "The device credential was altered: " + signature.message());
        }
        Udi udi = credential.udi();
        Device device = devices.find(udi).orElseThrow(() -> refuse(RehostRefusals.UNKNOWN_UDI, VAR_CREDENTIAL,
                "No licenses were ever issued for " + udi.binding() + ": check the device."));
        if (!device.accountId().equals(accountId)) {
            throw refuse(RehostRefusals.DEVICE_OF_ANOTHER_ACCOUNT, VAR_CREDENTIAL, "Device " + udi.binding() + " belongs to another account.");
        }
        if (device.locked()) {
            throw refuse(RehostRefusals.DEVICE_LOCKED, VAR_CREDENTIAL, "Device " + udi.binding() + " is locked (" + device.lockedReason()
                    + "); its licenses cannot be transferred.");
        }
        DeviceTrust.Decision trust = deviceTrust.judge(accountId, credential);
        switch (trust.outcome()) {
            case TRUSTED -> {
            }
            case UNCERTIFIED -> throw refuse(RehostRefusals.UNCERTIFIED_DEVICE, VAR_CREDENTIAL, trust.message());
            case CERTIFICATE_REFUSED -> throw refuse(RehostRefusals.UNTRUSTED_DEVICE_CERTIFICATE, VAR_CREDENTIAL, trust.message());
            case KEY_MISMATCH -> throw refuse(RehostRefusals.CREDENTIAL_KEY_MISMATCH, VAR_CREDENTIAL, trust.message());
        }
        return new VerifiedSource(udi, device, trust.key());
    }

    /**
     * A source device proven by its certified key through License Call Home: the caller has verified that the key
     * recorded from the device's certificate signed the request. The device must be the account's and not locked.
     */
    public VerifiedSource certifiedSource(String accountId, Udi udi) {
        Device device = devices.find(udi).filter(d -> d.accountId().equals(accountId)).orElseThrow(() -> refuse(
                RehostRefusals.DEVICE_OF_ANOTHER_ACCOUNT, VAR_CREDENTIAL, "Device " + udi.binding() + " belongs to no account of yours."));
        if (device.locked()) {
            throw refuse(RehostRefusals.DEVICE_LOCKED, VAR_CREDENTIAL, "Device " + udi.binding() + " is locked (" + device.lockedReason()
                    + "); its licenses cannot be transferred.");
        }
        DeviceKeys.RecordedKey key = deviceKeys.findRecord(udi).filter(DeviceKeys.RecordedKey::certified).orElseThrow(() -> refuse(
                RehostRefusals.UNCERTIFIED_DEVICE, VAR_CREDENTIAL, "No certified key is recorded for " + udi.binding() + "."));
        return new VerifiedSource(udi, device, key.key());
    }

    /** The licenses of the source that may move: active, permanent, node-locked and not named by an open rehost. */
    public List<License> transferable(VerifiedSource source) {
        Set<String> busy = new HashSet<>(rehosts.licensesInOpenRehosts(source.udi().binding()));
        return licenses.ofDevice(source.udi().binding(), License.Status.ACTIVE).stream().filter(License::transferable)
                .filter(l -> !busy.contains(l.id())).toList();
    }

    public List<License> transferable(String accountId, String credential) {
        return transferable(verifySource(accountId, credential));
    }

    // ---- Requests ----

    /** Checks a request (refusing it with its first reason) and returns the normalized license ids, in the customer's order. */
    List<String> check(String accountId, RehostRequest request, VerifiedSource source) {
        if (request.email() == null || request.email().length() > 320 || !EMAIL.matcher(request.email()).matches()) {
            throw refuse(RehostRefusals.REQUEST_INVALID, VAR_EMAIL, "email must be an address like name@example.com");
        }
        List<String> ids = request.licenseIds() == null ? List.of()
                : request.licenseIds().stream().map(s -> s == null ? "" : s.trim()).filter(s -> !s.isEmpty()).toList();
        if (ids.isEmpty() || ids.size() > MAX_LICENSES || new HashSet<>(ids).size() != ids.size()
                || !ids.stream().allMatch(i -> LICENSE_ID.matcher(i).matches())) {
            throw refuse(RehostRefusals.REQUEST_INVALID, VAR_LICENSE_IDS, "licenseIds must name 1 to " + MAX_LICENSES
                    + " distinct license ids, as listed by transferable-licenses");
        }
        Map<String, License> movable = new HashMap<>();
        transferable(source).forEach(l -> movable.put(l.id(), l));
        for (String id : ids) {
            if (!movable.containsKey(id)) {
                throw refuse(RehostRefusals.LICENSE_NOT_TRANSFERABLE, VAR_LICENSE_IDS, "License " + id + " cannot be transferred from "
                        + source.udi().binding() + ": " + whyNotTransferable(id, source.udi()));
            }
        }
        return ids;
    }

    private String whyNotTransferable(String id, Udi source) {
        Optional<License> license = licenses.find(id);
        if (license.isEmpty() || !license.get().udi().equals(source.binding())) {
            return "it is not a license of this device.";
        }
        License l = license.get();
        if (l.status() != License.Status.ACTIVE) {
            return "it is " + l.status() + ".";
        }
        if (!l.transferable()) {
            return "only permanent licenses move; this one is " + l.type().wireName() + ".";
        }
        return "it is already part of an open rehost.";
    }

    /** Accepts a checked request and starts its process in one transaction. */
    public Rehost submit(String accountId, RehostRequest request) {
        return submit(accountId, verifySource(accountId, request.credential()), request);
    }

    /**
     * Accepts a request for a source already verified (by its credential, or by {@link #certifiedSource}); with no
     * license ids it moves every license that {@link #transferable(VerifiedSource)} lists.
     */
    public Rehost submit(String accountId, VerifiedSource source, RehostRequest request) {
        if (request.licenseIds() == null || request.licenseIds().isEmpty()) {
            request = new RehostRequest(request.credential(), transferable(source).stream().map(License::id).toList(), request.email());
            if (request.licenseIds().isEmpty()) {
                throw refuse(RehostRefusals.LICENSE_NOT_TRANSFERABLE, VAR_LICENSE_IDS, "Device " + source.udi().binding()
                        + " has no license that can move: only active permanent licenses not in an open transfer do.");
            }
        }
        List<String> ids = check(accountId, request, source);
        UUID id = UUID.randomUUID();
        String email = request.email();
        return transactions.execute(status -> {
            Map<String, Object> variables = new HashMap<>();
            variables.put(VAR_REHOST_ID, id.toString());
            variables.put(VAR_ACCOUNT_ID, accountId);
            variables.put(VAR_EMAIL, email);
            variables.put(VAR_LICENSE_IDS, String.join(",", ids));
            // The first step runs after an asynchronous continuation: the start writes only the instance and its job,
            // which the job executor sees once this transaction, with the row, has committed.
            String instance = runtime.startProcessInstanceByKey(PROCESS_KEY, id.toString(), variables).getId();
            return create(id, accountId, source.udi(), ids, email, instance);
        });
    }

    private Rehost create(UUID id, String accountId, Udi source, List<String> ids, String email, String processInstanceId) {
        // Stored with microseconds (PostgreSQL): the first answer must carry the time every later read shows.
        Rehost rehost = new Rehost(id, accountId, Udi.parse(source.binding()), null, email, ids, RehostStatus.SUBMITTED, null, null, null,
                null, processInstanceId, Instant.now().truncatedTo(ChronoUnit.MICROS), null, null);
        rehosts.insert(rehost);
        audit.record(accountId, "rehost.submitted", subject(id), "rehost of " + String.join(", ", ids) + " from "
                + source.binding());
        return rehost;
    }

    public Optional<Rehost> find(UUID id, String accountId, boolean operator) {
        return rehosts.find(id).filter(r -> operator || r.accountId().equals(accountId));
    }

    /** The rehost a permission ticket was issued for. */
    public Optional<Rehost> findByPermissionTicket(String permissionTicketId) {
        return rehosts.findByPermissionTicket(permissionTicketId);
    }

    public Optional<StoredPermissionTicket> permissionTicket(UUID id) {
        return rehosts.permissionTicketOf(id);
    }

    public Optional<IssuedLicenseFile> licenseFile(UUID id) {
        return issuer.fileOf(id.toString());
    }

    /** Delivery state of the rehost's mails, by kind. */
    public Map<String, MailOutbox.MailStatus> mails(UUID id) {
        Map<String, MailOutbox.MailStatus> mails = new LinkedHashMap<>();
        for (String kind : List.of("permission-ticket", "licenses", "expired", "rejection")) {
            outbox.find(mailId(kind, id.toString())).ifPresent(m -> mails.put(kind, m));
        }
        return mails;
    }

    // ---- Rehost ticket upload ----

    /**
     * Verifies an uploaded rehost ticket and redeems it: the redemption row, the status change and the
     * RehostTicketReceived correlation commit together or not at all, and the redemption's primary key (the permission
     * ticket id) lets exactly one upload through.
     */
    public Rehost redeem(Rehost rehost, String actor, String rehostTicketText, String destinationUdiText) {
        if (rehostTicketText == null || rehostTicketText.isBlank()) {
            throw refuse(RehostRefusals.REQUEST_INVALID, "rehostTicket", "rehostTicket is missing: upload the file 'license revoke' wrote.");
        }
        RehostTicket ticket;
        try {
            ticket = RehostTicket.parseFile(rehostTicketText);
        } catch (TicketFormatException e) {
            throw refuse(RehostRefusals.INVALID_REHOST_TICKET, "rehostTicket", "The rehost ticket is not readable: " + e.getMessage());
        }
        Udi destination = parseUdi("destinationUdi", destinationUdiText);
        TicketVerification signature = TicketVerifier.verifyRehost(ticket);
        if (!signature.ok()) {
            throw refuse(RehostRefusals.TAMPERED_REHOST_TICKET, "rehostTicket", "The rehost ticket was altered after the device signed it: "
                    + signature.message());
        }
        Udi source = rehost.sourceUdi();
        PublicKeyInfo deviceKey = deviceKeys.find(source).orElseThrow(() -> new IllegalStateException(
                "rehost " + rehost.id() + " has no registered device key for " + source.binding()));
        if (!ticket.udi().sameDevice(source) || !deviceKey.equals(ticket.deviceKey())) {
            throw refuse(RehostRefusals.REHOST_TICKET_OF_ANOTHER_DEVICE, "rehostTicket", "The rehost ticket was signed by device "
                    + ticket.udi().binding() + " with key " + ticket.deviceKey().keyId() + ", not by the source device "
                    + source.binding() + " (key " + deviceKey.keyId() + ").");
        }
        StoredPermissionTicket permission = rehosts.permissionTicketOf(rehost.id()).orElseThrow(() -> refuse(
                RehostRefusals.PERMISSION_TICKET_NOT_ISSUED, "rehostTicket", "This rehost has no permission ticket yet."));
        TicketVerification answers = TicketVerifier.verifyRehostFor(ticket, PermissionTicket.parseFile(permission.content()), deviceKey);
        if (!answers.ok()) {
            throw refuse(RehostRefusals.REHOST_TICKET_MISMATCH, "rehostTicket", "The rehost ticket does not answer permission ticket "
                    + permission.id() + " of this rehost: " + answers.message());
        }
        switch (rehost.status()) {
            case REHOST_TICKET_RECEIVED, ISSUED -> throw alreadyRedeemed(permission.id());
            case REJECTED -> throw refuse(RehostRefusals.REHOST_REJECTED, "rehostTicket", "This rehost was rejected.");
            case SUBMITTED -> throw refuse(RehostRefusals.PERMISSION_TICKET_NOT_ISSUED, "rehostTicket",
                    "The permission ticket is still being issued.");
            default -> {
            }
        }
        // The device refuses to revoke on an expired permission ticket, so a rehost ticket signed within the validity is
        // the proof that the licenses left the device in time, whenever it is uploaded (within the late window).
        Instant now = Instant.now();
        if (ticket.revokedAt().isBefore(permission.issuedAt().minus(CLOCK_TOLERANCE))) {
            throw refuse(RehostRefusals.REHOST_TICKET_MISMATCH, "rehostTicket", "The device claims to have revoked at " + ticket.revokedAt()
                    + ", before permission ticket " + permission.id() + " was issued at " + permission.issuedAt() + ".");
        }
        if (!ticket.revokedAt().isBefore(permission.expiresAt())) {
            throw refuse(RehostRefusals.PERMISSION_TICKET_EXPIRED, "rehostTicket", "The device revoked at " + ticket.revokedAt()
                    + ", after permission ticket " + permission.id() + " expired at " + permission.expiresAt() + ".");
        }
        if (!now.isBefore(lateUploadDeadline(permission))) {
            throw refuse(RehostRefusals.PERMISSION_TICKET_EXPIRED, "rehostTicket", "Permission ticket " + permission.id() + " expired at "
                    + permission.expiresAt() + " and its rehost ticket could be uploaded until " + lateUploadDeadline(permission) + ".");
        }
        List<String> elsewhere = rehosts.licensesInOtherOpenRehosts(rehost.sourceUdi().binding(), rehost.id());
        if (rehost.licenseIds().stream().anyMatch(elsewhere::contains)) {
            throw refuse(RehostRefusals.LICENSES_NO_LONGER_ACTIVE, "rehostTicket", "Some licenses of permission ticket " + permission.id()
                    + " are being transferred by a later rehost of " + source.binding() + ".");
        }
        checkDestination(rehost, source, destination);
        Optional<Device> sourceDevice = devices.find(source);
        if (sourceDevice.isPresent() && sourceDevice.get().locked()) {
            throw refuse(RehostRefusals.DEVICE_LOCKED, "rehostTicket", "Device " + source.binding() + " is locked ("
                    + sourceDevice.get().lockedReason() + "): its licenses are being moved by that RMA.");
        }
        List<License> originals = originals(rehost);
        if (originals.size() != permission.licenseIds().size()) {
            if (redeemedMeanwhile(rehost)) {
                // A concurrent upload of the same ticket won and its steps already moved the licenses: say what happened.
                throw alreadyRedeemed(permission.id());
            }
            throw refuse(RehostRefusals.LICENSES_NO_LONGER_ACTIVE, "rehostTicket", "Some licenses of permission ticket " + permission.id()
                    + " are no longer active on " + source.binding() + " (moved by an RMA or another transfer).");
        }
        Rehost redeemed;
        try {
            redeemed = transactions.execute(status -> {
                rehosts.insertRedemption(permission.id(), rehost.id(), destination.binding(), ticket.toText(), actor, now);
                if (!rehosts.markRedeemed(rehost.id(), destination.binding(), now)) {
                    status.setRollbackOnly();
                    return null;
                }
                audit.record(actor, "rehost.ticket-redeemed", subject(rehost.id()), "rehost ticket of " + source.binding()
                        + " for permission ticket " + permission.id() + " (revoked " + ticket.revokedAt() + ") redeemed for "
                        + destination.binding());
                try {
                    runtime.createMessageCorrelation(MESSAGE_REHOST_TICKET_RECEIVED).processInstanceId(rehost.processInstanceId())
                            .setVariable(VAR_DESTINATION_UDI, destination.binding()).correlateWithResult();
                } catch (MismatchingMessageCorrelationException e) {
                    // The model no longer waits: its timer ended it (the permission ticket expired) in the meantime.
                    status.setRollbackOnly();
                    return null;
                }
                    return rehosts.find(rehost.id()).orElseThrow();
            });
        } catch (DuplicateKeyException race) {
            throw alreadyRedeemed(permission.id());
        }
        return redeemed != null ? redeemed : afterRace(rehost, permission);
    }

    private boolean redeemedMeanwhile(Rehost rehost) {
        return rehosts.find(rehost.id()).map(Rehost::status)
                .filter(status -> status == RehostStatus.REHOST_TICKET_RECEIVED || status == RehostStatus.ISSUED).isPresent();
    }

    /** Why a redemption that got past the checks could not change the rehost: another upload or the timer came first. */
    private Rehost afterRace(Rehost rehost, StoredPermissionTicket permission) {
        Rehost now = rehosts.find(rehost.id()).orElseThrow();
        if (now.status() == RehostStatus.REHOST_TICKET_RECEIVED || now.status() == RehostStatus.ISSUED) {
            throw alreadyRedeemed(permission.id());
        }
        boolean modelStillRuns = runtime.createProcessInstanceQuery().processInstanceId(rehost.processInstanceId()).count() > 0;
        if ((now.status() == RehostStatus.AWAITING_REHOST_TICKET || now.status() == RehostStatus.EXPIRED) && modelStillRuns) {
            // The expiry timer fired and the model is telling the customer before it waits for a late ticket.
            throw refuse(RehostRefusals.REHOST_BUSY, "rehostTicket", "Permission ticket " + permission.id() + " has just expired and "
                    + "the rehost is being moved to its late-upload wait; upload the rehost ticket again in a few seconds.");
        }
        throw expired(permission);
    }

    /**
     * Checks a destination before anything moves (the device revokes only when the destination will be accepted):
     * the same rules the redemption applies.
     */
    public Udi checkDestination(String accountId, Udi source, String destinationText) {
        Udi destination = parseUdi("destinationUdi", destinationText);
        checkDestination(accountId, source, destination);
        return destination;
    }

    private void checkDestination(Rehost rehost, Udi source, Udi destination) {
        checkDestination(rehost.accountId(), source, destination);
    }

    private void checkDestination(String accountId, Udi source, Udi destination) {
        if (destination.sameDevice(source)) {
            throw refuse(RehostRefusals.DESTINATION_NOT_ALLOWED, "destinationUdi", "The destination must be another device than the source.");
        }
        if (!catalogue.isAllowedReplacement(source.productId(), destination.productId())) {
            throw refuse(RehostRefusals.DESTINATION_NOT_ALLOWED, "destinationUdi", "Licenses of a " + source.productId()
                    + " cannot move to a " + destination.productId() + ": use the same product or an allowed substitute.");
        }
        Optional<Device> target = devices.find(destination);
        if (target.isPresent() && !target.get().accountId().equals(accountId)) {
            throw refuse(RehostRefusals.DEVICE_OF_ANOTHER_ACCOUNT, "destinationUdi", "Device " + destination.binding()
                    + " belongs to another account.");
        }
        if (target.isPresent() && target.get().locked()) {
            throw refuse(RehostRefusals.DESTINATION_NOT_ALLOWED, "destinationUdi", "Device " + destination.binding() + " is locked ("
                    + target.get().lockedReason() + ") and cannot receive licenses.");
        }
    }

    /** The rehost's licenses still active on the source, in the permission ticket's order. */
    private List<License> originals(Rehost rehost) {
        return rehost.licenseIds().stream().map(licenses::find).flatMap(Optional::stream)
                .filter(l -> l.status() == License.Status.ACTIVE && l.udi().equals(rehost.sourceUdi().binding())).toList();
    }

    // ---- helpers ----

    static String subject(UUID id) {
        return "rehost:" + id;
    }

    private static String mailId(String kind, String id) {
        return "rehost-" + kind + "-mail:" + id;
    }

    private static Udi parseUdi(String field, String text) {
        if (text == null || text.isBlank()) {
            throw refuse(RehostRefusals.REQUEST_INVALID, field, field + " is missing: enter it as PID:<product id>,SN:<serial number>");
        }
        try {
            return Udi.parse(text);
        } catch (UdiSyntaxException e) {
            throw refuse(RehostRefusals.REQUEST_INVALID, field, e.getMessage());
        }
    }

    private static RefusedException alreadyRedeemed(String permissionTicketId) {
        return refuse(RehostRefusals.ALREADY_REDEEMED, "rehostTicket", "The rehost ticket for permission ticket " + permissionTicketId
                + " was already redeemed; its licenses are issued once.");
    }

    private RefusedException expired(StoredPermissionTicket permission) {
        return refuse(RehostRefusals.PERMISSION_TICKET_EXPIRED, "rehostTicket", "Permission ticket " + permission.id() + " expired at "
                + permission.expiresAt() + " and its late-upload window closed at " + lateUploadDeadline(permission)
                + "; the rehost ticket can no longer be redeemed.");
    }

    /** Until when a rehost ticket signed within the permission's validity is redeemed. */
    public Instant lateUploadDeadline(StoredPermissionTicket permission) {
        return properties.lateUploadDeadline(permission.expiresAt());
    }

    private static RefusedException refuse(String code, String field, String message) {
        return FLOW.refuse(Refusal.of(code, field, message));
    }

}
