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
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code license call-home ...}: the device asks the service itself, signing each request and checking each answer. */
@Command(name = "call-home", mixinStandardHelpOptions = true,
        description = "License Call Home: the device asks the licensing service itself (docs/call-home.md). Only a "
                + "certified device (made with 'device init --bundle') can; every answer is checked before it is used.",
        subcommands = CallHomeCommands.Resend.class)
final class CallHomeCommands extends DeviceToolCommand.Group {

    @Command(name = "resend", mixinStandardHelpOptions = true,
            description = "Ask for every license active on this device again, wait until the file is built, and install it.")
    static final class Resend extends DeviceToolCommand.Leaf {
        @Option(names = "--service", required = true, paramLabel = "<url>",
                description = "The licensing service, e.g. http://localhost:8080")
        String service;

        @Option(names = "--wait", defaultValue = "60", paramLabel = "<seconds>",
                description = "How long to wait for the file (default: ${DEFAULT-VALUE} s)")
        int waitSeconds;

        @Override
        public Integer call() {
            SimulatedDevice d = root().open();
            Map<String, String> started = ask(d, "resend", null);
            if ("true".equals(started.get("refused"))) {
                throw new DeviceException("the service refused the resend: " + started.get("code") + ": " + started.get("message"));
            }
            String resendId = started.get("resendId");
            out().println("resend " + resendId + " started (signed answer verified)");
            long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
            while (true) {
                Map<String, String> status = ask(d, "resend-status", Json.write(Map.of("id", resendId)));
                switch (status.getOrDefault("status", "")) {
                    case "ISSUED" -> {
                        Path file = d.dir().resolve("call-home-" + resendId + ".lic");
                        try {
                            Files.writeString(file, status.get("licenseFile"), StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            throw new DeviceException("cannot write " + file + ": " + e.getMessage(), e);
                        }
                        List<SimulatedDevice.InstallResult> results = d.install(file);
                        long rejected = results.stream().filter(SimulatedDevice.InstallResult::rejected).count();
                        results.forEach(r -> (r.rejected() ? err() : out()).println("line " + r.lineNumber() + ": " + r.message()));
                        out().println((results.size() - rejected) + " line(s) installed or already installed, " + rejected + " rejected");
                        err().flush();
                        return rejected == 0 ? 0 : 1;
                    }
                    case "REJECTED" -> throw new DeviceException("the resend was refused: " + status.get("code") + ": " + status.get("message"));
                    default -> {
                        if (System.nanoTime() > deadline) {
                            throw new DeviceException("the file of resend " + resendId + " was not built within " + waitSeconds + " s");
                        }
                        sleep();
                    }
                }
            }
        }

        /** One signed request and its checked answer's body; an answer that fails the device's check is never used. */
        private Map<String, String> ask(SimulatedDevice d, String op, String argsJson) {
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
                throw new DeviceException("cannot reach " + uri + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeviceException("interrupted while calling " + uri, e);
            }
        }

        private static void sleep() {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeviceException("interrupted", e);
            }
        }
    }
}
