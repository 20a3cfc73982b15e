package io.nodelock.callhome;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodelock.account.Account;
import io.nodelock.account.Accounts;
import io.nodelock.device.Device;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.fulfillment.Fulfillment;
import io.nodelock.fulfillment.FulfillmentIntake;
import io.nodelock.fulfillment.FulfillmentRequest;
import io.nodelock.fulfillment.FulfillmentStatus;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.licensefile.CallHomeRequest;
import io.nodelock.licensefile.RehostTicket;
import io.nodelock.licensefile.TicketFormatException;
import io.nodelock.licensefile.Udi;
import io.nodelock.rehost.Rehost;
import io.nodelock.rehost.RehostIntake;
import io.nodelock.rehost.RehostRequest;
import io.nodelock.rehost.RehostStatus;
import io.nodelock.rehost.Rehosts;
import io.nodelock.resend.Resend;
import io.nodelock.resend.ResendIntake;
import io.nodelock.resend.ResendStatus;
import io.nodelock.resend.Resends;
import io.nodelock.workflow.Refusal;
import io.nodelock.workflow.RefusedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What a device may ask once {@link CallHome} has verified who it is. Each operation hands the request to the intake
 * of the flow that serves the customer's own request (fulfillment, resend, rehost), acting for the account the device
 * belongs to and naming the device as the actor; a status operation only answers about the device's own requests.
 * The answer body is a flat JSON object (the device tool reads nothing nested).
 */
@Component
class CallHomeOperations {

    static final List<String> OPERATIONS = List.of("install", "install-status", "resend", "resend-status", "transfer",
            "transfer-status", "revoke");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9-]{8,64}");

    private final FulfillmentIntake fulfillments;
    private final ResendIntake resendIntake;
    private final Resends resends;
    private final RehostIntake rehostIntake;
    private final Rehosts rehosts;
    private final Accounts accounts;

    CallHomeOperations(FulfillmentIntake fulfillments, ResendIntake resendIntake, Resends resends, RehostIntake rehostIntake,
                       Rehosts rehosts, Accounts accounts) {
        this.fulfillments = fulfillments;
        this.resendIntake = resendIntake;
        this.resends = resends;
        this.rehostIntake = rehostIntake;
        this.rehosts = rehosts;
        this.accounts = accounts;
    }

    /** The device whose certified key signed the request, the account that holds it, and where the request came from. */
    record Caller(Udi udi, Device device, ConsentOrigin origin) {
        String actor() {
            return "device:" + udi.binding();
        }

        String accountId() {
            return device.accountId();
        }
    }

    /** A request the operation refuses: answered (signed) with its code and message. */
    static final class Refused extends RuntimeException {
        final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    String run(CallHomeRequest request, Caller caller) {
        ObjectNode body = JSON.createObjectNode();
        try {
            JsonNode args = args(request);
            switch (request.op()) {
                case "install" -> install(args, caller, body);
                case "install-status" -> installStatus(args, caller, body);
                case "resend" -> {
                    Resend resend = resendIntake.submit(caller.accountId(), caller.actor(), caller.udi().binding(),
                            ResendIntake.CHANNEL_CALL_HOME);
                    body.put("resendId", resend.id().toString()).put("status", resend.status().name());
                }
                case "resend-status" -> resendStatus(args, caller, body);
                case "transfer" -> transfer(args, caller, body);
                case "transfer-status" -> transferStatus(args, caller, body);
                case "revoke" -> revoke(args, caller, body);
                default -> throw new Refused("UNKNOWN_OPERATION", "Operation '" + request.op() + "' is not served: "
                        + String.join(", ", OPERATIONS) + ".");
            }
        } catch (RefusedException refused) {
            Refusal refusal = refused.refusal();
            // A device shows one message: every field's reason goes into it.
            String message = refusal.errors().size() < 2 ? refusal.message() : refusal.errors().stream()
                    .map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
            return refused(refusal.code(), message);
        } catch (Refused refusal) {
            return refused(refusal.code, refusal.getMessage());
        }
        return body.toString();
    }

    // ---- install: a license from a PAK, through the pak-fulfillment flow ----

    private void install(JsonNode args, Caller caller, ObjectNode body) {
        String requestId = text(args, "requestId");
        if (requestId != null && !REQUEST_ID.matcher(requestId).matches()) {
            throw new Refused(Refusal.INVALID_REQUEST, "requestId must be 8 to 64 letters, digits or '-': the device's name for this install, "
                    + "the same on every retry.");
        }
        FulfillmentRequest request = new FulfillmentRequest(text(args, "pak"), text(args, "sku"), caller.udi().binding(),
                registeredAddress(caller), args.path("eulaAccepted").asBoolean(false), text(args, "eulaVersion"));
        // The idempotency key is the device's: a retried install (the answer was lost) finds the first fulfillment.
        String key = requestId == null ? null : "call-home:" + caller.udi().binding() + ":" + requestId;
        Fulfillment f = fulfillments.submit(caller.accountId(), caller.actor(), request, key, caller.origin()).fulfillment();
        body.put("fulfillmentId", f.id().toString()).put("status", f.status().name());
    }

    private void installStatus(JsonNode args, Caller caller, ObjectNode body) {
        Fulfillment f = id(args).flatMap(id -> fulfillments.find(id, caller.accountId(), false))
                .filter(x -> x.udi().sameDevice(caller.udi()))
                .orElseThrow(() -> new Refused("UNKNOWN_FULFILLMENT", "No install of this device has that id."));
        body.put("fulfillmentId", f.id().toString()).put("status", f.status().name());
        if (f.status() == FulfillmentStatus.ISSUED) {
            IssuedLicenseFile file = fulfillments.licenseFile(f.id()).orElseThrow();
            body.put("licenseIds", String.join(",", file.licenseIds())).put("licenseFile", file.content());
        } else if (f.status() == FulfillmentStatus.REJECTED) {
            body.put("code", f.rejectionCode()).put("message", f.rejectionMessage());
        }
    }

    // ---- resend ----

    private void resendStatus(JsonNode args, Caller caller, ObjectNode body) {
        Resend resend = id(args).flatMap(resends::find)
                .filter(r -> r.udi().sameDevice(caller.udi()) && r.accountId().equals(caller.accountId()))
                .orElseThrow(() -> new Refused("UNKNOWN_RESEND", "No resend of this device has that id."));
        body.put("resendId", resend.id().toString()).put("status", resend.status().name());
        if (resend.status() == ResendStatus.ISSUED) {
            body.put("licenseFile", resend.content());
        } else if (resend.status() == ResendStatus.REJECTED) {
            body.put("code", resend.rejectionCode()).put("message", resend.rejectionMessage());
        }
    }

    // ---- transfer: a rehost whose tickets travel by Call Home instead of by the customer's hand ----

    private void transfer(JsonNode args, Caller caller, ObjectNode body) {
        RehostIntake.VerifiedSource source = rehostIntake.certifiedSource(caller.accountId(), caller.udi());
        // Checked before anything moves: the device revokes only for a destination the redemption will accept.
        Udi destination = rehostIntake.checkDestination(caller.accountId(), caller.udi(), text(args, "destination"));
        List<String> ids = new ArrayList<>();
        JsonNode listed = args.path("licenseIds");
        if (!listed.isMissingNode() && !listed.isNull()) {
            if (!listed.isArray()) {
                throw new Refused(Refusal.INVALID_REQUEST, "licenseIds must be a list of license ids (or left out: every license that can move).");
            }
            listed.forEach(n -> ids.add(n.asText()));
        }
        Rehost rehost = rehostIntake.submit(caller.accountId(), source, new RehostRequest(null, ids, registeredAddress(caller)));
        body.put("rehostId", rehost.id().toString()).put("status", rehost.status().name())
                .put("licenseIds", String.join(",", rehost.licenseIds())).put("destination", destination.binding());
    }

    private void transferStatus(JsonNode args, Caller caller, ObjectNode body) {
        Rehost rehost = id(args).flatMap(rehosts::find).filter(r -> ownRehost(r, caller))
                .orElseThrow(() -> new Refused("UNKNOWN_TRANSFER", "No transfer from this device has that id."));
        describe(rehost, body);
        if (rehost.status() == RehostStatus.AWAITING_REHOST_TICKET) {
            rehostIntake.permissionTicket(rehost.id()).ifPresent(t -> body.put("permissionTicket", t.content())
                    .put("expiresAt", t.expiresAt().toString()));
        }
    }

    private void revoke(JsonNode args, Caller caller, ObjectNode body) {
        String ticketText = text(args, "rehostTicket");
        RehostTicket ticket;
        try {
            ticket = RehostTicket.parseFile(ticketText == null ? "" : ticketText);
        } catch (TicketFormatException e) {
            throw new Refused("INVALID_REHOST_TICKET", "rehostTicket is not a rehost ticket: " + e.getMessage());
        }
        Rehost rehost = rehostIntake.findByPermissionTicket(ticket.permissionTicketId()).filter(r -> ownRehost(r, caller))
                .orElseThrow(() -> new Refused("UNKNOWN_TRANSFER", "No transfer from this device issued permission ticket "
                        + ticket.permissionTicketId() + "."));
        describe(rehostIntake.redeem(rehost, caller.actor(), ticketText, text(args, "destination")), body);
    }

    private static boolean ownRehost(Rehost r, Caller caller) {
        return r.sourceUdi().sameDevice(caller.udi()) && r.accountId().equals(caller.accountId());
    }

    private static void describe(Rehost rehost, ObjectNode body) {
        body.put("rehostId", rehost.id().toString()).put("status", rehost.status().name())
                .put("licenseIds", String.join(",", rehost.licenseIds()));
        if (rehost.destinationUdi() != null) {
            body.put("destination", rehost.destinationUdi().binding());
        }
        if (rehost.status() == RehostStatus.REJECTED || rehost.status() == RehostStatus.EXPIRED) {
            body.put("code", rehost.rejectionCode()).put("message", rehost.rejectionMessage());
        }
    }

    // ---- helpers ----

    private String registeredAddress(Caller caller) {
        // Mail from a device's request goes to the account's registered address: a device names no address.
        return accounts.find(caller.accountId()).map(Account::email).orElseThrow(() -> new Refused("UNKNOWN_ACCOUNT",
                "The account of " + caller.udi().binding() + " is gone."));
    }

    private static JsonNode args(CallHomeRequest request) {
        if (request.argsJson() == null) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(request.argsJson());
            if (node == null || !node.isObject()) {
                throw new Refused(Refusal.INVALID_REQUEST, "args must be a JSON object.");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Refused(Refusal.INVALID_REQUEST, "args are not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode args, String field) {
        JsonNode value = args.path(field);
        return value.isTextual() ? value.asText() : null;
    }

    private static Optional<UUID> id(JsonNode args) {
        try {
            return Optional.of(UUID.fromString(args.path("id").asText()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String refused(String code, String message) {
        return JSON.createObjectNode().put("refused", true).put("code", code).put("message", message).toString();
    }
}
