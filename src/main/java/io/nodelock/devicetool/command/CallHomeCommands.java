package io.nodelock.devicetool.command;

import io.nodelock.devicetool.DeviceException;
import io.nodelock.devicetool.Json;
import io.nodelock.devicetool.SimulatedDevice;
import io.nodelock.licensefile.CallHomeRequest;
import io.nodelock.licensefile.CallHomeResponse;
import io.nodelock.licensefile.TicketFormatException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code license call-home ...}: the device asks the service itself, signing each request and checking each answer. */
@Command(name = "call-home", mixinStandardHelpOptions = true,
        description = "License Call Home: the device asks the licensing service itself (docs/call-home.md). Only a "
                + "certified device (made with 'device init --bundle') can; every answer is checked before it is used.",
        subcommands = {CallHomeCommands.Install.class, CallHomeCommands.Resend.class, CallHomeCommands.Transfer.class,
            CallHomeCommands.Revoke.class})
final class CallHomeCommands extends DeviceToolCommand.Group {

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Redeem a unit of a PAK for this device (the service's fulfillment flow), wait for the license and install it.")
    static final class Install extends CallHomeLeaf {
        @Parameters(index = "0", paramLabel = "<PAK>")
        String pak;

        @Parameters(index = "1", paramLabel = "<SKU>")
        String sku;

        @Option(names = "--accept-eula", description = "Accept the service's current EULA, for a SKU that requires it.")
        boolean acceptEula;

        @Override
        public Integer call() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("pak", pak);
            args.put("sku", sku);
            // One name for this install on every retry: an install whose answer was lost is found again, not redone.
            args.put("requestId", UUID.randomUUID().toString());
            if (acceptEula) {
                out().println(LicenseCommands.EULA);
                args.put("eulaAccepted", true);
            }
            Map<String, String> started = accepted(askRetrying("install", Json.write(args)), "install");
            String id = started.get("fulfillmentId");
            out().println("install " + id + " accepted (signed answer verified)");
            Map<String, String> done = await("install-status", id, Set.of("ISSUED"), "the license of install " + id);
            return install(root().open(), "call-home-" + id + ".lic", done.get("licenseFile"));
        }
    }

    @Command(name = "resend", mixinStandardHelpOptions = true,
            description = "Ask for every license active on this device again, wait until the file is built, and install it.")
    static final class Resend extends CallHomeLeaf {
        @Override
        public Integer call() {
            String id = accepted(ask("resend", null), "resend").get("resendId");
            out().println("resend " + id + " started (signed answer verified)");
            Map<String, String> done = await("resend-status", id, Set.of("ISSUED"), "the file of resend " + id);
            return install(root().open(), "call-home-" + id + ".lic", done.get("licenseFile"));
        }
    }

    @Command(name = "transfer", mixinStandardHelpOptions = true,
            description = "Move licenses of this device to another device of the account (a rehost): the service's "
                    + "permission ticket and this device's rehost ticket travel by Call Home. The destination then "
                    + "gets them with its own 'license call-home resend'.")
    static final class Transfer extends CallHomeLeaf {
        @Option(names = "--to", required = true, paramLabel = "<udi>", description = "The destination device, PID:<pid>,SN:<serial>")
        String destination;

        @Parameters(arity = "0..*", paramLabel = "<license-id>",
                description = "The licenses to move (default: every license of this device that can move).")
        List<String> licenseIds = List.of();

        @Override
        public Integer call() {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("destination", destination);
            args.put("licenseIds", licenseIds);
            Map<String, String> started = accepted(ask("transfer", Json.write(args)), "transfer");
            String id = started.get("rehostId");
            out().println("transfer " + id + " of " + started.get("licenseIds") + " to " + started.get("destination")
                    + " accepted (signed answer verified)");
            Map<String, String> permitted = await("transfer-status", id, Set.of("AWAITING_REHOST_TICKET"),
                    "the permission ticket of transfer " + id);
            // Opened again: the revocation is stamped with the device's time now, after the ticket was issued.
            SimulatedDevice d = root().open();
            Path permission = write(d, "permission-" + id + ".txt", permitted.get("permissionTicket"));
            SimulatedDevice.RevokeResult revoked = d.revoke(permission, d.dir().resolve("rehost-" + id + ".txt"));
            out().println(LicenseCommands.EULA);
            out().println("Revoked " + String.join(", ", revoked.rehostTicket().licenseIds()) + "; grace licenses "
                    + String.join(", ", revoked.graceIds()) + " (" + SimulatedDevice.GRACE_DAYS + " days of use)");
            return redeem(revoked.rehostFile(), destination, id);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Send a rehost ticket this device wrote ('license revoke', or a transfer that stopped after the "
                    + "revocation) to the service, for the destination device, and wait until its licenses are signed.")
    static final class Revoke extends CallHomeLeaf {
        @Option(names = "--to", required = true, paramLabel = "<udi>", description = "The destination device, PID:<pid>,SN:<serial>")
        String destination;

        @Parameters(index = "0", paramLabel = "<rehost-ticket-file>")
        Path rehostTicket;

        @Override
        public Integer call() {
            return redeem(rehostTicket, destination, null);
        }
    }

    /** The service did not answer (the request may or may not have reached it). */
    static final class Unreachable extends DeviceException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A Call Home command: signed requests to {@code --service}, each answer checked before anything of it is used. */
    abstract static class CallHomeLeaf extends DeviceToolCommand.Leaf {
        @Option(names = "--service", required = true, paramLabel = "<url>",
                description = "The licensing service, e.g. http://localhost:8080")
        String service;

        @Option(names = "--wait", defaultValue = "60", paramLabel = "<seconds>",
                description = "How long to wait for the service's flow (default: ${DEFAULT-VALUE} s)")
        int waitSeconds;

        /** The rehost ticket to the service; then waits until the destination's licenses are signed. */
        int redeem(Path rehostFile, String destination, String expectedRehost) {
            String ticket;
            try {
                ticket = Files.readString(rehostFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new DeviceException("cannot read rehost ticket " + rehostFile + ": " + e.getMessage(), e);
            }
            Map<String, String> redeemed = accepted(ask("revoke", Json.write(Map.of("rehostTicket", ticket,
                    "destination", destination))), "rehost ticket");
            String id = redeemed.get("rehostId");
            if (expectedRehost != null && !expectedRehost.equals(id)) {
                throw new DeviceException("the service redeemed the rehost ticket for transfer " + id + ", not " + expectedRehost);
            }
            out().println("rehost ticket " + rehostFile.getFileName() + " accepted for transfer " + id + " (signed answer verified)");
            Map<String, String> done = await("transfer-status", id, Set.of("ISSUED"), "the licenses of transfer " + id);
            out().println("transferred " + done.get("licenseIds") + " to " + done.get("destination")
                    + ": on that device, run 'license call-home resend'");
            return 0;
        }

        /** Polls a status operation (each poll a new signed request) until the status is one of {@code wanted}. */
        Map<String, String> await(String op, String id, Set<String> wanted, String what) {
            long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
            while (true) {
                Map<String, String> status = accepted(askRetrying(op, Json.write(Map.of("id", id))), op);
                String s = status.getOrDefault("status", "");
                if (wanted.contains(s)) {
                    return status;
                }
                if (Set.of("REJECTED", "EXPIRED").contains(s)) {
                    throw new DeviceException(what + " was refused (" + s + "): " + status.get("code") + ": " + status.get("message"));
                }
                if (System.nanoTime() > deadline) {
                    throw new DeviceException(what + " did not come within " + waitSeconds + " s (status " + s + ")");
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DeviceException("interrupted", e);
                }
            }
        }

        int install(SimulatedDevice d, String fileName, String licenseFile) {
            List<SimulatedDevice.InstallResult> results = d.install(write(d, fileName, licenseFile));
            long rejected = results.stream().filter(SimulatedDevice.InstallResult::rejected).count();
            results.forEach(r -> (r.rejected() ? err() : out()).println("line " + r.lineNumber() + ": " + r.message()));
            out().println((results.size() - rejected) + " line(s) installed or already installed, " + rejected + " rejected");
            err().flush();
            return rejected == 0 ? 0 : 1;
        }

        static Path write(SimulatedDevice d, String fileName, String text) {
            if (text == null) {
                throw new DeviceException("the service's answer holds no " + fileName);
            }
            Path file = d.dir().resolve(fileName);
            try {
                Files.writeString(file, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new DeviceException("cannot write " + file + ": " + e.getMessage(), e);
            }
            return file;
        }

        static Map<String, String> accepted(Map<String, String> body, String what) {
            if ("true".equals(body.get("refused"))) {
                throw new DeviceException("the service refused the " + what + ": " + body.get("code") + ": " + body.get("message"));
            }
            return body;
        }

        /**
         * {@link #ask} for an operation that may safely run twice (a status, or an install with its request id): a
         * request whose answer was lost is sent again, as a new signed request with a new nonce.
         */
        Map<String, String> askRetrying(String op, String argsJson) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return ask(op, argsJson);
                } catch (Unreachable e) {
                    if (attempt == 3) {
                        throw e;
                    }
                    err().println("warning: " + e.getMessage() + "; asking again");
                }
            }
        }

        /**
         * One signed request and its checked answer's body; an answer that fails the device's check is never used.
         * The device is opened again for each request: its clock moves on while the command waits for the service.
         */
        Map<String, String> ask(String op, String argsJson) {
            SimulatedDevice d = root().open();
            CallHomeRequest request = d.callHomeRequest(op, argsJson);
            String answer = post(request.toText() + "\n");
            CallHomeResponse response;
            try {
                response = CallHomeResponse.parse(answer.strip());
            } catch (TicketFormatException e) {
                throw new DeviceException("the service's answer is not a Call Home answer: " + e.getMessage(), e);
            }
            CallHomeResponse.Check check = d.checkCallHomeAnswer(request, response);
            if (check != CallHomeResponse.Check.OK) {
                throw new DeviceException("refused the service's answer to '" + op + "': " + check
                        + " (not signed by a trusted service key for this request, or not fresh)");
            }
            try {
                return Json.readFlatObject(response.bodyJson() == null ? "{}" : response.bodyJson());
            } catch (IllegalArgumentException e) {
                throw new DeviceException("the signed answer's body is not a JSON object: " + e.getMessage(), e);
            }
        }

        private String post(String body) {
            URI uri = URI.create(service.replaceAll("/+$", "") + "/api/v1/call-home");
            try {
                HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", "text/plain")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new DeviceException("the service refused the request: HTTP " + r.statusCode() + " " + r.body());
                }
                return r.body();
            } catch (IOException e) {
                throw new Unreachable("cannot reach " + uri + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeviceException("interrupted while calling " + uri, e);
            }
        }
    }
}
