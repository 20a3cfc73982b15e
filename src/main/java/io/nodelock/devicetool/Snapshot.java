package io.nodelock.devicetool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The device's license state at one instant: every line, every feature, the effective image level. */
public record Snapshot(
        Instant now,
        String imageLevel,
        String bootLevel,
        List<String> bootAddOns,
        SimulatedDevice.BootConfig nextBoot,
        boolean eulaAccepted,
        boolean clockSuspect,
        String tampered,
        List<LicenseStatus> licenses,
        List<FeatureStatus> features,
        List<String> storageProblems) {

    public Snapshot {
        bootAddOns = List.copyOf(bootAddOns);
        licenses = List.copyOf(licenses);
        features = List.copyOf(features);
        storageProblems = List.copyOf(storageProblems);
    }

    /** Whether {@code license boot level} changed the configuration since the last reload. */
    public boolean reloadPending() {
        return !nextBoot.equals(new SimulatedDevice.BootConfig(bootLevel, bootAddOns));
    }

    public Optional<FeatureStatus> feature(String name) {
        return features.stream().filter(f -> f.feature().equals(name)).findFirst();
    }

    public boolean enabled(String feature) {
        return feature(feature).map(FeatureStatus::enabled).orElse(false);
    }

    public Optional<LicenseStatus> license(String licenseId) {
        return licenses.stream().filter(l -> l.licenseId().equals(licenseId)).findFirst();
    }

    public List<LicenseStatus> licensesOf(String feature) {
        return licenses.stream().filter(l -> l.feature().equals(feature)).toList();
    }

    /** The common head of every {@code --json} show output. */
    public Map<String, Object> header() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("now", now.toString());
        m.put("imageLevel", imageLevel);
        m.put("bootLevel", bootLevel == null ? "auto" : bootLevel);
        m.put("bootAddOns", new ArrayList<>(bootAddOns));
        m.put("nextBootLevel", nextBoot.level() == null ? "auto" : nextBoot.level());
        m.put("nextBootAddOns", new ArrayList<>(nextBoot.addOns()));
        m.put("eulaAccepted", eulaAccepted);
        m.put("clockSuspect", clockSuspect);
        m.put("tampered", tampered);
        m.put("storageProblems", new ArrayList<>(storageProblems));
        return m;
    }
}
