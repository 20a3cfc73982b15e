package io.nodelock.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Service;

/**
 * The License Manager's CSV reports (RFC 4180: comma-separated, CRLF line ends, a header row, quotes where needed).
 * Each covers one account, or every account for an operator ({@code accountId} null). Rows stream from the database
 * to the answer, so a large report does not sit in memory.
 */
@Service
public class Reports {

    /** The reports, by the name their URL uses. */
    public enum Report {
        LICENSES_BY_FEATURE("licenses-by-feature"),
        LICENSES_BY_DEVICE("licenses-by-device"),
        LICENSES_BY_EXPIRY("licenses-by-expiry"),
        PAK_CONSUMPTION("pak-consumption");

        private final String slug;

        Report(String slug) {
            this.slug = slug;
        }

        public String slug() {
            return slug;
        }

        public static java.util.Optional<Report> bySlug(String slug) {
            return java.util.Arrays.stream(values()).filter(r -> r.slug.equals(slug)).findFirst();
        }
    }

    private final JdbcTemplate jdbc;

    public Reports(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Writes a report. {@code within} bounds the expiry report (licenses whose end is before now plus it; null: all
     * that can end).
     */
    public void write(Report report, String accountId, Duration within, Writer out) {
        Csv csv = new Csv(out);
        switch (report) {
            case LICENSES_BY_FEATURE -> byFeature(accountId, csv);
            case LICENSES_BY_DEVICE -> byDevice(accountId, csv);
            case LICENSES_BY_EXPIRY -> byExpiry(accountId, within, csv);
            case PAK_CONSUMPTION -> pakConsumption(accountId, csv);
        }
        csv.flush();
    }

    private void byFeature(String accountId, Csv csv) {
        csv.row("account_id", "feature", "type", "active", "active_counted_units", "transferred", "replaced", "revoked", "superseded",
                "total");
        jdbc.query("select account_id, feature, license_type, "
                + "sum(case when status = 'ACTIVE' then 1 else 0 end) as active, "
                + "sum(case when status = 'ACTIVE' then license_count else 0 end) as active_counted_units, "
                + "sum(case when status = 'TRANSFERRED' then 1 else 0 end) as transferred, "
                + "sum(case when status = 'REPLACED' then 1 else 0 end) as replaced, "
                + "sum(case when status = 'REVOKED' then 1 else 0 end) as revoked, "
                + "sum(case when status = 'SUPERSEDED' then 1 else 0 end) as superseded, count(*) as total "
                + "from license where (cast(? as varchar(64)) is null or account_id = ?) "
                + "group by account_id, feature, license_type order by account_id, feature, license_type",
                (RowCallbackHandler) rs -> csv.row(rs.getString(1), rs.getString(2), type(rs.getString(3)), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10)), accountId, accountId);
    }

    private void byDevice(String accountId, Csv csv) {
        csv.row("account_id", "udi", "product_id", "serial_number", "locked", "active_licenses", "active_features", "first_seen_at");
        DeviceRows rows = new DeviceRows(csv);
        jdbc.query("select d.account_id, d.udi, d.product_id, d.serial_number, d.locked_at, d.first_seen_at, l.feature "
                + "from device d left join license l on l.udi = d.udi and l.status = 'ACTIVE' "
                + "where (cast(? as varchar(64)) is null or d.account_id = ?) order by d.account_id, d.udi, l.feature",
                rows, accountId, accountId);
        rows.finish();
    }

    /** Joins a device's active features into one row: the rows come ordered by device. */
    private static final class DeviceRows implements RowCallbackHandler {
        private final Csv csv;
        private String[] current;
        private final List<String> features = new ArrayList<>();

        DeviceRows(Csv csv) {
            this.csv = csv;
        }

        @Override
        public void processRow(ResultSet rs) throws SQLException {
            String udi = rs.getString("udi");
            if (current != null && !current[1].equals(udi)) {
                emit();
            }
            if (current == null) {
                current = new String[] {rs.getString("account_id"), udi, rs.getString("product_id"), rs.getString("serial_number"),
                        rs.getTimestamp("locked_at") == null ? "no" : "yes", instant(rs.getTimestamp("first_seen_at"))};
            }
            if (rs.getString("feature") != null) {
                features.add(rs.getString("feature"));
            }
        }

        void finish() {
            if (current != null) {
                emit();
            }
        }

        private void emit() {
            csv.row(current[0], current[1], current[2], current[3], current[4], Integer.toString(features.size()),
                    String.join(" ", features), current[5]);
            current = null;
            features.clear();
        }
    }

    private void byExpiry(String accountId, Duration within, Csv csv) {
        Instant now = Instant.now();
        csv.row("license_id", "account_id", "udi", "feature", "sku", "type", "issued_at", "ends_at", "days_left");
        for (TimeBoundLicense l : timeBound(accountId, within == null ? null : now.plus(within))) {
            csv.row(l.id(), l.accountId(), l.udi(), l.feature(), l.sku(), type(l.type()), l.issuedAt().toString(), l.endsAt().toString(),
                    Long.toString(Math.max(0, ChronoUnit.DAYS.between(now, l.endsAt()))));
        }
    }

    /**
     * The active evaluations, extensions and subscriptions of an account (or all), ending before {@code before} (or
     * whenever, when null), soonest first. Ended ones are included: "active" is the service's record, and a license
     * past its end is what an alert or a report should show.
     */
    List<TimeBoundLicense> timeBound(String accountId, Instant before) {
        List<TimeBoundLicense> found = new ArrayList<>();
        jdbc.query("select id, account_id, udi, feature, sku, license_type, issued_at, usage_days, not_after from license l "
                        + "where l.status = 'ACTIVE' and l.license_type in ('EVALUATION', 'EXTENSION', 'SUBSCRIPTION') "
                        + "and (cast(? as varchar(64)) is null or l.account_id = ?)", (RowCallbackHandler) rs -> {
                    Instant issued = rs.getTimestamp("issued_at").toInstant();
                    Timestamp notAfter = rs.getTimestamp("not_after");
                    Instant end = LicenseEnd.of(rs.getString("license_type"), issued, rs.getInt("usage_days"),
                            notAfter == null ? null : notAfter.toInstant());
                    if (end != null && (before == null || end.isBefore(before))) {
                        found.add(new TimeBoundLicense(rs.getString("id"), rs.getString("account_id"), rs.getString("udi"),
                                rs.getString("feature"), rs.getString("sku"), rs.getString("license_type"), issued, end));
                    }
                }, accountId, accountId);
        found.sort(Comparator.comparing(TimeBoundLicense::endsAt).thenComparing(TimeBoundLicense::id));
        return found;
    }

    private void pakConsumption(String accountId, Csv csv) {
        csv.row("account_id", "pak_code", "created_at", "line_no", "sku", "quantity", "consumed", "remaining", "percent_consumed");
        jdbc.query("select p.account_id, p.code, p.created_at, pl.line_no, pl.sku, pl.quantity, pl.consumed from pak p "
                        + "join pak_line pl on pl.pak_code = p.code where (cast(? as varchar(64)) is null or p.account_id = ?) "
                        + "order by p.account_id, p.created_at, p.code, pl.line_no",
                (RowCallbackHandler) rs -> {
                    int quantity = rs.getInt("quantity");
                    int consumed = rs.getInt("consumed");
                    csv.row(rs.getString("account_id"), rs.getString("code"), instant(rs.getTimestamp("created_at")),
                            rs.getString("line_no"), rs.getString("sku"), Integer.toString(quantity), Integer.toString(consumed),
                            Integer.toString(quantity - consumed), Long.toString(Math.round(100.0 * consumed / quantity)));
                }, accountId, accountId);
    }

    private static String type(String dbType) {
        return dbType.toLowerCase(java.util.Locale.ROOT);
    }

    private static String instant(Timestamp t) {
        return t == null ? "" : t.toInstant().toString();
    }

    /** RFC 4180 rows; a cell that could start a spreadsheet formula is prefixed with a quote mark (CSV injection). */
    static final class Csv {
        private final Writer out;

        Csv(Writer out) {
            this.out = out;
        }

        void row(String... cells) {
            try {
                for (int i = 0; i < cells.length; i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    out.write(cell(cells[i]));
                }
                out.write("\r\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static String cell(String value) {
            if (value == null) {
                return "";
            }
            String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
            return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                    ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
        }
    }
}
