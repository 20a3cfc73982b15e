package io.nodelock.bulk;

import static io.nodelock.bulk.BulkRefusals.*;
import static io.nodelock.bulk.process.BulkFulfillmentProcess.*;

import io.nodelock.account.Account;
import io.nodelock.account.Accounts;
import io.nodelock.audit.AuditLog;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.catalogue.Sku;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.eula.EulaConsent;
import io.nodelock.eula.EulaConsents;
import io.nodelock.fulfillment.FulfillmentRules;
import io.nodelock.licensefile.Udi;
import io.nodelock.licensefile.UdiSyntaxException;
import io.nodelock.notification.MailOutbox;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakCode;
import io.nodelock.pak.PakCodeException;
import io.nodelock.pak.PakService;
import io.nodelock.workflow.Refusal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.operaton.bpm.engine.RuntimeService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bulk flow's intake: reads an upload (JSON rows or a CSV), refuses a file it cannot take whole (rows it cannot
 * read, too many, duplicates, SKUs unknown or not on the PAK, too few units for the rows that can be fulfilled), and
 * otherwise stores the bulk with one row per (UDI, SKU) and starts its bulk-fulfillment instance in one transaction.
 * Answers progress, rows, the outcomes CSV and the archive. The steps are {@link BulkSteps}.
 */
@Service
public class BulkIntake {

    /** At most this many bad lines are itemised in a refusal's {@code errors}; {@code lines} names up to 1000. */
    static final int ERRORS_SHOWN = 100;
    static final int LINES_SHOWN = 1000;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

    private final BulkFulfillments bulks;
    private final BulkProperties properties;
    private final Accounts accounts;
    private final Catalogue catalogue;
    private final PakService paks;
    private final FulfillmentRules rules;
    private final EulaConsents eulas;
    private final MailOutbox outbox;
    private final AuditLog audit;
    private final RuntimeService runtime;
    private final TransactionTemplate transactions;

    public BulkIntake(BulkFulfillments bulks, BulkProperties properties, Accounts accounts, Catalogue catalogue, PakService paks,
                      FulfillmentRules rules, EulaConsents eulas, MailOutbox outbox, AuditLog audit, RuntimeService runtime,
                      TransactionTemplate transactions) {
        this.bulks = bulks;
        this.properties = properties;
        this.accounts = accounts;
        this.catalogue = catalogue;
        this.paks = paks;
        this.rules = rules;
        this.eulas = eulas;
        this.outbox = outbox;
        this.audit = audit;
        this.runtime = runtime;
        this.transactions = transactions;
    }

    /**
     * What the customer asks: {@code pakCode} (one PAK of its account), where the result mail goes ({@code email}, else
     * the account's address), whether it accepts the current EULA for rows whose SKU needs it ({@code eulaAccepted}:
     * only JSON {@code true} is consent; without it such rows are refused {@code EULA_NOT_ACCEPTED}).
     */
    public record Options(String pakCode, String email, Object eulaAccepted) {
    }

    public record RowRequest(String udi, String sku) {
    }

    /** A row that passed the intake: its source line, its UDI and its SKU (known and on the PAK). */
    record CheckedRow(int sourceLine, Udi udi, String sku) {
    }

    /** Accepts JSON rows ({@code rows[i]} are named in refusals). */
    public BulkFulfillment submit(String accountId, String actor, Options options, List<RowRequest> rows, ConsentOrigin origin) {
        if (rows == null || rows.isEmpty()) {
            throw invalid("rows", "rows must list 1 to " + properties.maxRows() + " rows, each {\"udi\", \"sku\"}");
        }
        tooMany(rows.size(), "rows");
        List<BulkFiles.RawRow> raw = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            RowRequest r = rows.get(i);
            raw.add(new BulkFiles.RawRow(i + 1, r == null ? null : r.udi(), r == null ? null : r.sku()));
        }
        return accept(accountId, actor, options, raw, List.of(), "json", origin);
    }

    /** Accepts a CSV with the header {@code udi,sku} (its line numbers are named in refusals). */
    public BulkFulfillment submitCsv(String accountId, String actor, Options options, String csv, ConsentOrigin origin) {
        BulkFiles.Parsed parsed = BulkFiles.parseCsv(csv == null ? "" : csv);
        tooMany(parsed.rows().size() + parsed.bad().size(), "file");
        if (parsed.bad().isEmpty() && parsed.rows().isEmpty()) {
            throw invalid("file", "the file has the header " + BulkFiles.CSV_HEADER + " but no rows");
        }
        return accept(accountId, actor, options, parsed.rows(), parsed.bad(), "csv", origin);
    }

    private void tooMany(int count, String field) {
        if (count > properties.maxRows()) {
            throw FLOW.refuse(Refusal.of(TOO_MANY_ROWS, field, "A bulk fulfillment holds at most " + properties.maxRows()
                    + " rows, this one " + count + ": split it.").with("rows", count).with("maxRows", properties.maxRows()));
        }
    }

    private BulkFulfillment accept(String accountId, String actor, Options options, List<BulkFiles.RawRow> raw,
                                   List<BulkFiles.BadLine> unreadable, String source, ConsentOrigin origin) {
        boolean csv = source.equals("csv");
        PakCode pakCode;
        try {
            pakCode = PakCode.parse(options.pakCode());
        } catch (PakCodeException e) {
            throw invalid("pakCode", "pakCode: " + e.getMessage());
        }
        Account account = accounts.find(accountId).orElseThrow(() -> new IllegalStateException("no account " + accountId));
        String email = options.email() == null ? account.email() : options.email().strip();
        if (email.length() > 320 || !EMAIL.matcher(email).matches()) {
            throw invalid("email", "email must be an address like name@example.com (or leave it out: the account's address)");
        }

        // Rows that cannot be read, with their lines.
        List<BulkFiles.BadLine> bad = new ArrayList<>(unreadable);
        List<CheckedRow> rows = new ArrayList<>(raw.size());
        for (BulkFiles.RawRow r : raw) {
            Udi udi = null;
            if (r.udi() == null || r.udi().isBlank()) {
                bad.add(new BulkFiles.BadLine(r.line(), "udi is missing"));
            } else {
                try {
                    udi = Udi.parse(r.udi());
                } catch (UdiSyntaxException e) {
                    bad.add(new BulkFiles.BadLine(r.line(), "udi: " + e.getMessage()));
                }
            }
            if (r.sku() == null || r.sku().isBlank()) {
                bad.add(new BulkFiles.BadLine(r.line(), "sku is missing"));
            } else if (udi != null) {
                rows.add(new CheckedRow(r.line(), udi, r.sku()));
            }
        }
        if (!bad.isEmpty()) {
            throw FLOW.refuse(lines(ROWS_MALFORMED, bad, csv, "row(s) cannot be read"));
        }

        List<BulkFiles.BadLine> unknown = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        List<BulkFiles.BadLine> duplicates = new ArrayList<>();
        for (CheckedRow r : rows) {
            if (catalogue.sku(r.sku()).isEmpty()) {
                unknown.add(new BulkFiles.BadLine(r.sourceLine(), "SKU '" + r.sku() + "' is not in the catalogue (revision "
                        + catalogue.revision() + ")"));
            }
            Integer first = firstLine.putIfAbsent(r.udi().binding() + " " + r.sku(), r.sourceLine());
            if (first != null) {
                duplicates.add(new BulkFiles.BadLine(r.sourceLine(), r.udi().binding() + " with " + r.sku() + " is already on "
                        + where(first, csv)));
            }
        }
        if (!unknown.isEmpty()) {
            throw FLOW.refuse(lines(SKU_UNKNOWN, unknown, csv, "row(s) name a SKU that is not in the catalogue"));
        }
        if (!duplicates.isEmpty()) {
            throw FLOW.refuse(lines(DUPLICATE_ROWS, duplicates, csv, "row(s) repeat a UDI and SKU of an earlier row; each "
                    + "device gets one license of a SKU per bulk"));
        }

        Pak pak = paks.find(pakCode, accountId, false).orElseThrow(() -> FLOW.refuse(Refusal.of(PAK_UNKNOWN, "pakCode", "PAK "
                + pakCode.formatted() + " is not known for your account. Check the code on your order, or ask the person who "
                + "ordered to register it.")));
        List<BulkFiles.BadLine> notOnPak = new ArrayList<>();
        for (CheckedRow r : rows) {
            if (pak.line(r.sku()).isEmpty()) {
                notOnPak.add(new BulkFiles.BadLine(r.sourceLine(), "SKU " + r.sku() + " is not on PAK " + pakCode.formatted()));
            }
        }
        if (!notOnPak.isEmpty()) {
            throw FLOW.refuse(lines(SKU_NOT_ON_PAK, notOnPak, csv, "row(s) name a SKU that is not on PAK " + pakCode.formatted()
                    + " (it holds " + String.join(", ", pak.lines().stream().map(Pak.PakLine::sku).toList()) + ")"));
        }

        boolean consent = Boolean.TRUE.equals(options.eulaAccepted());
        boolean needsEula = rows.stream().anyMatch(r -> catalogue.sku(r.sku()).orElseThrow().eulaRequired());
        String eulaVersion = null;
        if (consent && needsEula) {
            eulaVersion = eulas.current().version();
            String version = eulaVersion;
            eulas.check(version, Boolean.TRUE).ifPresent(refusal -> {
                throw FLOW.refuse(refusal);
            });
        }

        // Units for the rows that can be fulfilled now (by the same rules each row meets again when its batch runs).
        Map<String, Integer> needed = new TreeMap<>();
        for (CheckedRow r : rows) {
            Sku sku = catalogue.sku(r.sku()).orElseThrow();
            if (rules.refusal(accountId, sku, r.udi(), eulaVersion != null).isEmpty()) {
                needed.merge(sku.id(), 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Integer> need : needed.entrySet()) {
            int left = pak.line(need.getKey()).orElseThrow().remaining();
            if (left < need.getValue()) {
                throw FLOW.refuse(Refusal.of(PAK_EXHAUSTED, "pakCode", "PAK " + pakCode.formatted() + " has " + left + " units of "
                        + need.getKey() + " left; the " + need.getValue() + " rows of it that can be fulfilled need "
                        + need.getValue() + ". Nothing was recorded.").with("sku", need.getKey()).with("unitsLeft", left)
                        .with("unitsNeeded", need.getValue()));
            }
        }

        UUID id = UUID.randomUUID();
        String consentVersion = eulaVersion;
        return transactions.execute(status -> {
            Map<String, Object> variables = new HashMap<>();
            variables.put(VAR_BULK_ID, id.toString());
            variables.put(VAR_ACCOUNT_ID, accountId);
            String instance = runtime.startProcessInstanceByKey(PROCESS_KEY, id.toString(), variables).getId();
            EulaConsent given = consentVersion == null ? null : eulas.record(accountId, actor, consentVersion, origin, subject(id));
            BulkFulfillment bulk = new BulkFulfillment(id, accountId, actor, pakCode.value(), email, given == null ? null : given.id(),
                    consentVersion, source, BulkStatus.SUBMITTED, rows.size(), 0, 0, instance,
                    Instant.now().truncatedTo(ChronoUnit.MICROS), null, null);
            bulks.insert(bulk, rows);
            audit.record(actor, "bulk.submitted", subject(id), rows.size() + " rows (" + source + ") for account " + accountId
                    + " against PAK " + pakCode.formatted() + "; " + needed.values().stream().mapToInt(Integer::intValue).sum()
                    + " can be fulfilled now" + (consentVersion == null ? "" : "; EULA " + consentVersion + " accepted"));
            return bulk;
        });
    }

    /** A refusal naming the bad lines: {@code errors} itemises the first of them, {@code lines} lists their numbers. */
    private static Refusal lines(String code, List<BulkFiles.BadLine> bad, boolean csv, String what) {
        List<Refusal.FieldError> errors = new ArrayList<>();
        for (BulkFiles.BadLine b : bad.subList(0, Math.min(bad.size(), ERRORS_SHOWN))) {
            errors.add(new Refusal.FieldError(csv ? "line " + b.line() : "rows[" + (b.line() - 1) + "]", b.message()));
        }
        Set<Integer> numbers = new TreeSet<>();
        bad.forEach(b -> numbers.add(b.line()));
        List<Integer> shown = numbers.stream().limit(LINES_SHOWN).toList();
        String message = bad.size() + " " + what + ": " + (csv ? "line" : "row") + (numbers.size() == 1 ? " " : "s ")
                + String.join(", ", shown.stream().limit(20).map(String::valueOf).toList()) + (numbers.size() > 20 ? " and "
                + (numbers.size() - 20) + " more" : "") + ". Nothing was recorded; see 'errors'.";
        return new Refusal(code, message, errors, Map.of("lines", shown, "count", bad.size()));
    }

    private static String where(int line, boolean csv) {
        return csv ? "line " + line : "rows[" + (line - 1) + "]";
    }

    public Optional<BulkFulfillment> find(UUID id, String accountId, boolean operator) {
        return bulks.find(id).filter(b -> operator || b.accountId().equals(accountId));
    }

    /** Bulks newest first (one account's, or every account's for {@code accountId} null), after the given one. */
    public List<BulkFulfillment> list(String accountId, Instant beforeAt, UUID beforeId, int limit) {
        return bulks.newestFirst(accountId, beforeAt, beforeId, limit);
    }

    /** Rows in order after {@code afterRowNo}, in the given states (every state when empty). */
    public List<BulkRow> rows(UUID id, Set<BulkRow.State> states, int afterRowNo, int limit) {
        return bulks.rows(id, states.isEmpty() ? EnumSet.noneOf(BulkRow.State.class) : states, afterRowNo, limit);
    }

    /** Every row's outcome so far, as CSV (a row still waiting shows PENDING). */
    public String outcomes(UUID id) {
        return BulkFiles.outcomes(bulks.rows(id, Set.of(), 0, Integer.MAX_VALUE));
    }

    /** The result archive of a completed bulk; empty while it runs. */
    public Optional<byte[]> archive(BulkFulfillment bulk) {
        if (bulk.status() != BulkStatus.COMPLETED) {
            return Optional.empty();
        }
        return Optional.of(BulkFiles.archive(bulks.issuedFiles(bulk.id()), bulks.rows(bulk.id(), Set.of(), 0, Integer.MAX_VALUE)));
    }

    public Optional<MailOutbox.MailStatus> mail(UUID id) {
        return outbox.find(BulkMails.resultKey(id));
    }

    static String subject(UUID id) {
        return "bulk:" + id;
    }

    private static RuntimeException invalid(String field, String message) {
        return FLOW.refuse(Refusal.invalid(List.of(new Refusal.FieldError(field, message))));
    }

    /** The state names a filter may use. */
    public static Map<String, BulkRow.State> stateNames() {
        Map<String, BulkRow.State> names = new LinkedHashMap<>();
        for (BulkRow.State s : BulkRow.State.values()) {
            names.put(s.name(), s);
        }
        return names;
    }
}
