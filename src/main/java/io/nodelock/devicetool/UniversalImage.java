package io.nodelock.devicetool;

import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseFormatException;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.licensefile.Udi;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The simulated universal image {@code universal-k9}: its feature-set levels (lowest first; a higher level includes
 * the lower ones), its add-on features, and the licenses built into it: a permanent {@code ipbase} and a 60-day
 * emergency evaluation license for every other level and add-on. Built-in lines are unsigned: their trust comes
 * from the image, which on real hardware is itself signed and read-only; the device records the image file's hash
 * at init and refuses an altered image.
 */
public record UniversalImage(String name, List<String> levels, List<String> addOns, List<LicenseLine> builtIns) {

    public static final String FILE = "image.txt";
    public static final String FEATURE_SET = "universal-k9";
    public static final List<String> LEVELS = List.of("ipbase", "ipservices", "advipservices", "adventerprise");
    public static final List<String> ADD_ONS = List.of("securityk9", "uck9", "datak9");
    public static final int EMERGENCY_DAYS = 60;
    /** Build date of the simulated image; the built-in lines' issue time. */
    static final Instant IMAGE_BUILT = Instant.parse("2026-01-01T00:00:00Z");

    public UniversalImage {
        levels = List.copyOf(levels);
        addOns = List.copyOf(addOns);
        builtIns = List.copyOf(builtIns);
    }

    /** The image as shipped, with built-in lines locked to {@code udi}. */
    public static UniversalImage shipped(Udi udi) {
        List<LicenseLine> lines = new ArrayList<>();
        lines.add(LicenseLine.builder().licenseId("BUILTIN-IPBASE").feature("ipbase").udi(udi)
                .type(LicenseType.PERMANENT).issuedAt(IMAGE_BUILT).build());
        List<String> emergency = new ArrayList<>(LEVELS.subList(1, LEVELS.size()));
        emergency.addAll(ADD_ONS);
        for (String f : emergency) {
            lines.add(LicenseLine.builder().licenseId(builtInId(f)).feature(f).udi(udi).type(LicenseType.EVALUATION)
                    .usageDays(EMERGENCY_DAYS).issuedAt(IMAGE_BUILT).build());
        }
        return new UniversalImage(FEATURE_SET, LEVELS, ADD_ONS, lines);
    }

    static String builtInId(String feature) {
        return "BUILTIN-EVAL-" + feature.toUpperCase(Locale.ROOT).replace('_', '-');
    }

    public boolean isLevel(String feature) {
        return levels.contains(feature);
    }

    public int levelIndex(String feature) {
        return levels.indexOf(feature);
    }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Nodelock simulated universal image; ships read-only with the device, do not edit\n");
        sb.append("image=").append(name).append('\n');
        sb.append("levels=").append(String.join(",", levels)).append('\n');
        sb.append("addons=").append(String.join(",", addOns)).append('\n');
        sb.append(LicenseFile.format(builtIns));
        return sb.toString();
    }

    public static UniversalImage parse(String text) {
        String name = null;
        List<String> levels = null;
        List<String> addOns = null;
        List<LicenseLine> lines = new ArrayList<>();
        for (String row : text.split("\n")) {
            if (row.isBlank() || row.startsWith("#")) {
                continue;
            }
            if (row.startsWith("image=")) {
                name = row.substring(6);
            } else if (row.startsWith("levels=")) {
                levels = List.of(row.substring(7).split(","));
            } else if (row.startsWith("addons=")) {
                addOns = List.of(row.substring(7).split(","));
            } else {
                try {
                    lines.add(LicenseLine.parse(row));
                } catch (LicenseFormatException e) {
                    throw new DeviceException("image file is corrupt: " + e.getMessage(), e);
                }
            }
        }
        if (name == null || levels == null || addOns == null) {
            throw new DeviceException("image file is corrupt: image, levels or addons missing");
        }
        return new UniversalImage(name, levels, addOns, lines);
    }
}
