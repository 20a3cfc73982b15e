package io.nodelock.bulk;

import static io.nodelock.bulk.BulkStatus.*;
import static io.nodelock.workflow.StatusGuard.args;
import static io.nodelock.workflow.StatusGuard.statusIn;

import io.nodelock.licensefile.Udi;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Bulk fulfillments and their rows. Status changes are guarded updates built from {@link BulkStatus}; a row leaves
 * PENDING once ({@code where state = 'PENDING'}), and the counts move only by the rows that did.
 */
@Repository
public class BulkFulfillments {

    private static final String COLUMNS = "id, account_id, requested_by, pak_code, email, eula_consent_id, eula_version, source, "
            + "status, row_count, rows_issued, rows_refused, process_instance_id, created_at, started_at, completed_at";
    private static final String ROW_COLUMNS = "bulk_id, row_no, source_line, udi, vid, sku, state, refusal_code, refusal_message, "
            + "license_ids, done_at";

    private final JdbcTemplate jdbc;

    public BulkFulfillments(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<BulkFulfillment> find(UUID id) {
        return jdbc.query("select " + COLUMNS + " from bulk_fulfillment where id = ?", BulkFulfillments::bulk, id).stream().findFirst();
    }

    Optional<BulkFulfillment> findByProcessInstance(String processInstanceId) {
        return jdbc.query("select " + COLUMNS + " from bulk_fulfillment where process_instance_id = ?", BulkFulfillments::bulk,
                processInstanceId).stream().findFirst();
    }

    /** A page of bulks newest first, after ({@code beforeAt}, {@code beforeId}) when given; one account's, or all. */
    List<BulkFulfillment> newestFirst(String accountId, Instant beforeAt, UUID beforeId, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" where 1 = 1");
        if (accountId != null) {
            where.append(" and account_id = ?");
            args.add(accountId);
        }
        if (beforeAt != null) {
            where.append(" and (created_at < ? or (created_at = ? and id < ?))");
            args.addAll(List.of(Timestamp.from(beforeAt), Timestamp.from(beforeAt), beforeId));
        }
        return jdbc.query("select " + COLUMNS + " from bulk_fulfillment" + where + " order by created_at desc, id desc fetch first "
                + limit + " rows only", BulkFulfillments::bulk, args.toArray());
    }

    void insert(BulkFulfillment b, List<BulkIntake.CheckedRow> rows) {
        jdbc.update("insert into bulk_fulfillment (id, account_id, requested_by, pak_code, email, eula_consent_id, eula_version, "
                        + "source, status, row_count, process_instance_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                b.id(), b.accountId(), b.requestedBy(), b.pakCode(), b.email(), b.eulaConsentId(), b.eulaVersion(), b.source(),
                b.status().name(), b.rowCount(), b.processInstanceId(), Timestamp.from(b.createdAt()));
        List<Object[]> args = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            BulkIntake.CheckedRow r = rows.get(i);
            args.add(new Object[] {b.id(), i + 1, r.sourceLine(), r.udi().binding(), r.udi().versionId(), r.sku()});
        }
        jdbc.batchUpdate("insert into bulk_row (bulk_id, row_no, source_line, udi, vid, sku, state) values (?, ?, ?, ?, ?, ?, 'PENDING')",
                args);
    }

    /** The next rows still waiting, locked until the batch's transaction ends. */
    List<BulkRow> pendingForUpdate(UUID bulkId, int limit) {
        return jdbc.query("select " + ROW_COLUMNS + " from bulk_row where bulk_id = ? and state = 'PENDING' order by row_no "
                + "fetch first " + limit + " rows only for update", BulkFulfillments::row, bulkId);
    }

    /** The rows of a bulk in order, from {@code afterRowNo + 1}, in the given states (all when empty). */
    List<BulkRow> rows(UUID bulkId, Set<BulkRow.State> states, int afterRowNo, int limit) {
        String filter = states.isEmpty() ? "" : " and state in (" + states.stream().map(s -> "'" + s.name() + "'")
                .collect(Collectors.joining(", ")) + ")";
        return jdbc.query("select " + ROW_COLUMNS + " from bulk_row where bulk_id = ? and row_no > ?" + filter + " order by row_no "
                + "fetch first " + limit + " rows only", BulkFulfillments::row, bulkId, afterRowNo);
    }

    /** The license files of the issued rows, in row order: (row, file). */
    List<IssuedRow> issuedFiles(UUID bulkId) {
        return jdbc.query("select " + ROW_COLUMNS + ", license_file from bulk_row where bulk_id = ? and state = 'ISSUED' order by row_no",
                (rs, n) -> new IssuedRow(row(rs, n), rs.getString("license_file")), bulkId);
    }

    record IssuedRow(BulkRow row, String licenseFile) {
    }

    /** What a batch found for one row. */
    sealed interface Outcome {
        int rowNo();

        record Issued(int rowNo, List<String> licenseIds, String licenseFile) implements Outcome {
        }

        record Refused(int rowNo, String code, String message) implements Outcome {
        }
    }

    /**
     * Records a batch's outcomes (rows still PENDING only) and moves the counts by the rows that moved, in one round
     * trip for the rows. Returns the rows recorded now (a row recorded before keeps its first outcome).
     */
    int record(UUID bulkId, Collection<Outcome> outcomes) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Outcome> list = List.copyOf(outcomes);
        List<Object[]> args = new ArrayList<>(list.size());
        for (Outcome o : list) {
            if (o instanceof Outcome.Issued issued) {
                args.add(new Object[] {BulkRow.State.ISSUED.name(), null, null, String.join(" ", issued.licenseIds()),
                        issued.licenseFile(), now, bulkId, o.rowNo()});
            } else if (o instanceof Outcome.Refused refused) {
                args.add(new Object[] {BulkRow.State.REFUSED.name(), refused.code(), truncate(refused.message(), 1000), null, null,
                        now, bulkId, o.rowNo()});
            }
        }
        int[] counts = jdbc.batchUpdate("update bulk_row set state = ?, refusal_code = ?, refusal_message = ?, license_ids = ?, "
                + "license_file = ?, done_at = ? where bulk_id = ? and row_no = ? and state = 'PENDING'", args);
        int issued = 0;
        int refused = 0;
        for (int i = 0; i < counts.length; i++) {
            // A driver may answer SUCCESS_NO_INFO (-2) for a batched statement; PostgreSQL's and H2's give the count.
            if (counts[i] == 1) {
                if (list.get(i) instanceof Outcome.Issued) {
                    issued++;
                } else {
                    refused++;
                }
            } else if (counts[i] != 0) {
                throw new IllegalStateException("row " + list.get(i).rowNo() + " of bulk " + bulkId + ": update count " + counts[i]);
            }
        }
        if (issued + refused > 0) {
            jdbc.update("update bulk_fulfillment set rows_issued = rows_issued + ?, rows_refused = rows_refused + ? where id = ?",
                    issued, refused, bulkId);
        }
        return issued + refused;
    }

    int countPending(UUID bulkId) {
        Integer n = jdbc.queryForObject("select count(*) from bulk_row where bulk_id = ? and state = 'PENDING'", Integer.class, bulkId);
        return n == null ? 0 : n;
    }

    boolean markRunning(UUID id) {
        return jdbc.update("update bulk_fulfillment set status = ?, started_at = ? where id = ? and " + statusIn(RUNNING.reachableFrom()),
                args(RUNNING.reachableFrom(), RUNNING.name(), Timestamp.from(Instant.now()), id)) == 1;
    }

    boolean markCompleted(UUID id) {
        return jdbc.update("update bulk_fulfillment set status = ?, completed_at = ? where id = ? and "
                + statusIn(COMPLETED.reachableFrom()), args(COMPLETED.reachableFrom(), COMPLETED.name(), Timestamp.from(Instant.now()),
                id)) == 1;
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    static BulkFulfillment bulk(ResultSet rs, int row) throws SQLException {
        return new BulkFulfillment(rs.getObject("id", UUID.class), rs.getString("account_id"), rs.getString("requested_by"),
                rs.getString("pak_code"), rs.getString("email"), rs.getObject("eula_consent_id", UUID.class), rs.getString("eula_version"),
                rs.getString("source"), BulkStatus.valueOf(rs.getString("status")), rs.getInt("row_count"), rs.getInt("rows_issued"),
                rs.getInt("rows_refused"), rs.getString("process_instance_id"), rs.getTimestamp("created_at").toInstant(),
                instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("completed_at")));
    }

    static BulkRow row(ResultSet rs, int n) throws SQLException {
        Udi binding = Udi.parse(rs.getString("udi"));
        String ids = rs.getString("license_ids");
        return new BulkRow(rs.getObject("bulk_id", UUID.class), rs.getInt("row_no"), rs.getInt("source_line"),
                Udi.of(binding.productId(), binding.serialNumber(), rs.getString("vid")), rs.getString("sku"),
                BulkRow.State.valueOf(rs.getString("state")), rs.getString("refusal_code"), rs.getString("refusal_message"),
                ids == null || ids.isBlank() ? List.of() : Arrays.asList(ids.split(" ")), instant(rs.getTimestamp("done_at")));
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
