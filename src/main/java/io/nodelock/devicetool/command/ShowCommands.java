package io.nodelock.devicetool.command;

import io.nodelock.devicetool.SimulatedDevice;
import io.nodelock.devicetool.FeatureStatus;
import io.nodelock.devicetool.Json;
import io.nodelock.devicetool.LicenseStatus;
import io.nodelock.devicetool.PersistenceStorage;
import io.nodelock.devicetool.Snapshot;
import io.nodelock.licensefile.CertificateVerification;
import io.nodelock.licensefile.DeviceCertificate;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code show license ...} commands. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show device state.", subcommands = ShowCommands.License.class)
final class ShowCommands extends DeviceToolCommand.Group {

    @Command(name = "license", mixinStandardHelpOptions = true,
            description = "Every license line: feature, type, state, period left, count.",
            subcommands = {Udi.class, Feature.class, Detail.class, History.class})
    static final class License extends DeviceToolCommand.Leaf {
        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @Override
        public Integer call() {
            Snapshot s = root().open().snapshot();
            if (json) {
                Map<String, Object> m = s.header();
                m.put("licenses", s.licenses().stream().map(l -> licenseJson(l, s)).toList());
                out().println(Json.write(m));
                return 0;
            }
            printHeader(out(), s);
            for (LicenseStatus l : s.licenses()) {
                printLine(out(), l, s, false);
            }
            return 0;
        }
    }

    @Command(name = "udi", mixinStandardHelpOptions = true,
            description = "The device's UDI, device key id and identity certificate.")
    static final class Udi extends DeviceToolCommand.Leaf {
        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @Override
        public Integer call() {
            SimulatedDevice d = root().open();
            io.nodelock.licensefile.Udi u = d.udi();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("pid", u.productId());
                m.put("sn", u.serialNumber());
                m.put("vid", u.versionId());
                m.put("udi", u.toString());
                m.put("binding", u.binding());
                m.put("deviceKeyId", d.publicKey().keyId());
                m.put("certificate", certificateJson(d));
                m.put("authorities", new ArrayList<>(d.authorities().keySet()));
                out().println(Json.write(m));
                return 0;
            }
            out().printf("%-18s %-20s %-4s %s%n", "PID", "SN", "VID", "UDI");
            out().println("-".repeat(80));
            out().printf("%-18s %-20s %-4s %s%n", u.productId(), u.serialNumber(),
                    u.versionId() == null ? "-" : u.versionId(), u);
            out().println("Device key id: " + d.publicKey().keyId());
            CertificateVerification v = d.certificateStatus();
            if (v == null) {
                out().println("Device certificate: none (uncertified device: made without a manufacturing bundle)");
                return 0;
            }
            DeviceCertificate c = v.certificate();
            if (c == null) {
                out().println("Device certificate: unreadable");
            } else {
                out().println("Device certificate: serial " + c.serial());
                out().println("        Issuer: " + c.issuerKeyId());
                out().println("        Valid from: " + c.notBefore());
                out().println("        Valid until: " + c.notAfter() + " (exclusive)");
                out().println("        Certified key: " + c.deviceKey().keyId());
            }
            out().println("        Status: " + (v.ok() ? "OK" : v.status()) + " (" + v.message() + ")");
            out().println("Trusted manufacturing authorities: " + (d.authorities().isEmpty() ? "none"
                    : String.join(", ", d.authorities().keySet())));
            return 0;
        }

        private static Map<String, Object> certificateJson(SimulatedDevice d) {
            CertificateVerification v = d.certificateStatus();
            if (v == null) {
                return null;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            DeviceCertificate c = v.certificate();
            m.put("serial", c == null ? null : c.serial());
            m.put("issuer", c == null ? null : c.issuerKeyId());
            m.put("notBefore", c == null ? null : c.notBefore().toString());
            m.put("notAfter", c == null ? null : c.notAfter().toString());
            m.put("certifiedKeyId", c == null ? null : c.deviceKey().keyId());
            m.put("status", v.status().name());
            m.put("message", v.message());
            return m;
        }
    }

    @Command(name = "feature", mixinStandardHelpOptions = true,
            description = "Effective features, including what a higher level brings.")
    static final class Feature extends DeviceToolCommand.Leaf {
        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @Override
        public Integer call() {
            Snapshot s = root().open().snapshot();
            if (json) {
                Map<String, Object> m = s.header();
                m.put("features", s.features().stream().map(ShowCommands::featureJson).toList());
                out().println(Json.write(m));
                return 0;
            }
            printHeader(out(), s);
            out().printf("%-16s %-6s %-8s %-28s %s%n", "Feature", "Kind", "Enabled", "Provided by", "Count");
            out().println("-".repeat(80));
            for (FeatureStatus f : s.features()) {
                String by = f.providedBy() == null ? "-"
                        : f.via() != null && f.via().startsWith("included") ? f.via() + " (" + f.providedBy() + ")"
                        : f.providedBy();
                out().printf("%-16s %-6s %-8s %-28s %s%n", f.feature(), f.kind(), f.enabled() ? "yes" : "no", by,
                        !f.enabled() ? "-" : f.count() == 0 ? "Non-Counted" : String.valueOf(f.count()));
            }
            return 0;
        }
    }

    @Command(name = "detail", mixinStandardHelpOptions = true,
            description = "Every line of one feature, with all details.")
    static final class Detail extends DeviceToolCommand.Leaf {
        @Parameters(index = "0", paramLabel = "<feature>")
        String feature;

        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @Override
        public Integer call() {
            Snapshot s = root().open().snapshot();
            List<LicenseStatus> lines = s.licensesOf(feature);
            if (lines.isEmpty() && s.feature(feature).isEmpty()) {
                throw new io.nodelock.devicetool.DeviceException("no feature '" + feature + "' on this device");
            }
            if (json) {
                Map<String, Object> m = s.header();
                m.put("feature", s.feature(feature).map(ShowCommands::featureJson).orElse(null));
                m.put("licenses", lines.stream().map(l -> licenseJson(l, s)).toList());
                out().println(Json.write(m));
                return 0;
            }
            s.feature(feature).ifPresent(f -> out().println("Feature: " + feature + ", "
                    + (f.enabled() ? "enabled" + (f.via() == null ? "" : " (" + f.via() + ")") : "not enabled")));
            for (LicenseStatus l : lines) {
                printLine(out(), l, s, true);
            }
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "The persistence storage: every license event, oldest first.")
    static final class History extends DeviceToolCommand.Leaf {
        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @Override
        public Integer call() {
            SimulatedDevice d = root().open();
            if (json) {
                out().println(Json.write(d.historyJson()));
                return 0;
            }
            for (PersistenceStorage.Entry e : d.history()) {
                StringBuilder sb = new StringBuilder();
                sb.append(String.format("%5d %s %-16s", e.seq(), e.at(), e.event()));
                e.fields().forEach((k, v) -> {
                    if (!k.equals("line")) {
                        sb.append(' ').append(k).append('=').append(v.contains(" ") ? "\"" + v + "\"" : v);
                    }
                });
                out().println(sb.toString().stripTrailing());
            }
            return 0;
        }
    }

    static void printHeader(PrintWriter out, Snapshot s) {
        out.println("Image level: " + s.imageLevel() + "  (boot level: "
                + (s.bootLevel() == null ? "auto" : s.bootLevel())
                + (s.bootAddOns().isEmpty() ? "" : ", boot add-ons: " + String.join(", ", s.bootAddOns()))
                + ", EULA " + (s.eulaAccepted() ? "accepted" : "not accepted") + ")");
        if (s.reloadPending()) {
            out.println("Next reload boots with " + s.nextBoot() + " (device reload)");
        }
        if (s.tampered() != null) {
            out.println("WARNING: " + s.tampered());
        }
        if (s.clockSuspect()) {
            out.println("WARNING: the clock went back more than an hour; time-limited licenses are suspect");
        }
        for (String p : s.storageProblems()) {
            out.println("WARNING: " + p);
        }
    }

    static void printLine(PrintWriter out, LicenseStatus l, Snapshot s, boolean detail) {
        out.println("Index " + l.index() + " Feature: " + l.feature());
        out.println("        License Id: " + l.licenseId());
        out.println("        License Type: " + l.typeText());
        out.println("        License State: " + l.stateText() + (l.reason() == null ? "" : " (" + l.reason() + ")"));
        out.println("        Period left: " + l.periodLeft(s.now()));
        out.println("        License Count: " + l.countText());
        if (detail) {
            out.println("        UDI: " + l.line().udi());
            out.println("        Issued: " + l.line().issuedAt());
            out.println("        Valid from: " + (l.line().notBefore() == null ? "-" : l.line().notBefore())
                    + "  until: " + (l.line().notAfter() == null ? "-" : l.line().notAfter()));
            if (l.countsDown()) {
                out.println("        Days of use: " + l.usedDays() + " used of " + l.line().usageDays());
            }
            out.println("        Signed by: " + (l.line().keyId() == null ? "- (built into the image)"
                    : l.line().keyId()));
            out.println("        Installed: " + (l.installedAt() == null ? "-" : l.installedAt()));
            out.println("        EULA: " + (!l.countsDown() || l.origin() == LicenseStatus.Origin.GRACE
                    ? "not required" : s.eulaAccepted() ? "accepted" : "not accepted"));
            for (String c : l.comments()) {
                out.println("        Comment: " + c);
            }
        }
    }

    static Map<String, Object> licenseJson(LicenseStatus l, Snapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", l.index());
        m.put("licenseId", l.licenseId());
        m.put("feature", l.feature());
        m.put("type", l.line().type().wireName());
        m.put("origin", l.origin().name());
        m.put("state", l.state().name());
        m.put("inUse", l.inUse());
        m.put("reason", l.reason());
        m.put("count", l.line().count());
        if (l.countsDown()) {
            m.put("usageDays", l.line().usageDays());
            m.put("usedDays", l.usedDays());
            m.put("daysLeft", l.daysLeft());
        }
        m.put("notBefore", l.line().notBefore() == null ? null : l.line().notBefore().toString());
        m.put("notAfter", l.line().notAfter() == null ? null : l.line().notAfter().toString());
        m.put("periodLeft", l.periodLeft(s.now()));
        m.put("issuedAt", l.line().issuedAt().toString());
        m.put("keyId", l.line().keyId());
        m.put("installedAt", l.installedAt() == null ? null : l.installedAt().toString());
        m.put("comments", new ArrayList<>(l.comments()));
        return m;
    }

    static Map<String, Object> featureJson(FeatureStatus f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("feature", f.feature());
        m.put("kind", f.kind());
        m.put("enabled", f.enabled());
        m.put("providedBy", f.providedBy());
        m.put("via", f.via());
        m.put("count", f.count());
        return m;
    }
}
