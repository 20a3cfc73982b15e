package io.nodelock.devicetool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The device's persistence storage: an append-only, hash-chained history of every license event. It is a separate
 * file from the license storage, so wiping or clearing licenses never loses it.
 *
 * <p>One entry per line: {@code <seq> <instant> <event> [name=value ...] h=<chain>}, values percent-encoded (every
 * byte outside 0x21-0x7E and {@code %} becomes {@code %XX}). {@code chain} is the first 16 hex characters of
 * SHA-256 over the previous entry's chain value (16 zeros for the first), a LF, and this entry's text before
 * {@code " h="}. Entries are only ever appended; loading checks the sequence and the whole chain, so an edited,
 * removed or reordered earlier entry is detected.
 */
public final class PersistenceStorage {

    public static final String FILE = "persistence.log";
    private static final String GENESIS = "0".repeat(16);

    /** One history entry. */
    public record Entry(long seq, Instant at, String event, Map<String, String> fields) {
        public String get(String name) {
            return fields.get(name);
        }
    }

    private final Path file;
    private final List<Entry> entries = new ArrayList<>();
    private String lastChain = GENESIS;

    private PersistenceStorage(Path file) {
        this.file = file;
    }

    /** Loads and checks the log; a missing file is an empty history. */
    public static PersistenceStorage open(Path stateDir) {
        PersistenceStorage p = new PersistenceStorage(stateDir.resolve(FILE));
        List<String> rows;
        try {
            rows = Files.readAllLines(p.file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return p;
        } catch (IOException e) {
            throw new DeviceException("cannot read persistence storage " + p.file + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < rows.size(); i++) {
            p.load(rows.get(i), i + 1);
        }
        return p;
    }

    private void load(String row, int n) {
        int h = row.lastIndexOf(" h=");
        if (h < 0) {
            throw corrupt(n, "no chain value");
        }
        String body = row.substring(0, h);
        String chain = row.substring(h + 3);
        if (!chain.equals(chain(lastChain, body))) {
            throw corrupt(n, "hash chain broken (an earlier entry was altered, removed or reordered)");
        }
        String[] parts = body.split(" ");
        if (parts.length < 3) {
            throw corrupt(n, "too few parts");
        }
        long seq;
        Instant at;
        try {
            seq = Long.parseLong(parts[0]);
            at = Instant.parse(parts[1]);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw corrupt(n, "bad sequence number or time");
        }
        if (seq != entries.size() + 1) {
            throw corrupt(n, "sequence number " + seq + ", expected " + (entries.size() + 1));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 3; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) {
                throw corrupt(n, "malformed field '" + parts[i] + "'");
            }
            fields.put(parts[i].substring(0, eq), decode(parts[i].substring(eq + 1)));
        }
        entries.add(new Entry(seq, at, parts[2], Collections.unmodifiableMap(fields)));
        lastChain = chain;
    }

    private DeviceException corrupt(int n, String why) {
        return new DeviceException("persistence storage " + file + " is corrupt at entry " + n + ": " + why);
    }

    /** Appends one entry; {@code nameValues} alternate name, value (null values are left out). */
    public Entry append(Instant at, String event, String... nameValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            if (nameValues[i + 1] != null) {
                fields.put(nameValues[i], nameValues[i + 1]);
            }
        }
        Entry e = new Entry(entries.size() + 1, at, event, Collections.unmodifiableMap(fields));
        StringBuilder body = new StringBuilder().append(e.seq()).append(' ').append(at).append(' ').append(event);
        fields.forEach((k, v) -> body.append(' ').append(k).append('=').append(encode(v)));
        String chain = chain(lastChain, body.toString());
        String row = body + " h=" + chain + "\n";
        try {
            Files.writeString(file, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (IOException ex) {
            throw new DeviceException("cannot append to persistence storage " + file + ": " + ex.getMessage(), ex);
        }
        entries.add(e);
        lastChain = chain;
        return e;
    }

    /** Number of entries; the seal keeps it apart from the log so a dropped tail is noticed. */
    public int size() {
        return entries.size();
    }

    /** Chain value of the last entry (16 zeros when empty). */
    public String head() {
        return lastChain;
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    public List<Entry> entries(String event) {
        return entries.stream().filter(e -> e.event().equals(event)).toList();
    }

    static String chain(String previous, String body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((previous + "\n" + body).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String encode(String v) {
        StringBuilder sb = new StringBuilder();
        for (byte b : v.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x21 || c > 0x7e || c == '%') {
                sb.append('%').append(String.format("%02X", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    static String decode(String v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%' && i + 2 < v.length()) {
                out.write(Integer.parseInt(v.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
