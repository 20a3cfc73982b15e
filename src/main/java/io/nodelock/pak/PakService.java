package io.nodelock.pak;

import io.nodelock.audit.AuditLog;
import io.nodelock.catalogue.Catalogue;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class PakService {

    public static final String PAK_UNKNOWN = "PAK_UNKNOWN";
    public static final String SKU_NOT_ON_PAK = "SKU_NOT_ON_PAK";
    public static final String PAK_EXHAUSTED = "PAK_EXHAUSTED";

    private final Paks paks;
    private final Catalogue catalogue;
    private final AuditLog audit;

    public PakService(Paks paks, Catalogue catalogue, AuditLog audit) {
        this.paks = paks;
        this.catalogue = catalogue;
        this.audit = audit;
    }

    public record NewLine(String sku, int quantity) {
    }

    /**
     * Creates a PAK for an account. Each SKU must be in the live catalogue and appear once; quantity is the number
     * of licenses (devices) the line fulfills.
     */
    @Transactional
    public Pak create(String accountId, List<NewLine> lines, String createdBy, Optional<PakCode> fixedCode) {
        List<String> problems = new ArrayList<>();
        if (lines == null || lines.isEmpty()) {
            problems.add("lines: a PAK needs at least one line");
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < lines.size(); i++) {
                NewLine line = lines.get(i);
                if (line.sku() == null || catalogue.sku(line.sku()).isEmpty()) {
                    problems.add("lines[" + i + "].sku: unknown SKU '" + line.sku() + "'");
                } else if (!seen.add(line.sku())) {
                    problems.add("lines[" + i + "].sku: SKU '" + line.sku() + "' appears twice; put the total on one line");
                }
                if (line.quantity() < 1 || line.quantity() > 1_000_000) {
                    problems.add("lines[" + i + "].quantity: must be between 1 and 1000000");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidPakException(problems);
        }
        List<Pak.PakLine> pakLines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            pakLines.add(new Pak.PakLine(0, i + 1, lines.get(i).sku(), lines.get(i).quantity(), 0));
        }
        PakCode code = fixedCode.orElseGet(PakCode::random);
        // Look before inserting: on PostgreSQL a failed insert would abort the whole transaction. A random code
        // (75 bits) practically never collides; a fixed one that exists is the caller's error.
        while (fixedCode.isEmpty() && paks.exists(code)) {
            code = PakCode.random();
        }
        // Stored with microseconds (PostgreSQL): the first answer must carry the time every later read shows.
        Pak pak = new Pak(code, accountId, Instant.now().truncatedTo(ChronoUnit.MICROS), createdBy, pakLines);
        paks.insert(pak);
        audit.record(createdBy, "pak.created", "pak:" + code.formatted(), "account " + accountId + ", lines "
                + lines.stream().map(l -> l.sku() + " x" + l.quantity()).collect(Collectors.joining(", ")));
        return paks.find(code).orElseThrow();
    }

    /** The PAK if it exists and the account may see it; other accounts' PAKs look exactly like unknown ones. */
    public Optional<Pak> find(PakCode code, String accountId, boolean operator) {
        return paks.find(code).filter(p -> operator || p.accountId().equals(accountId));
    }

    /**
     * Redeems one unit of the SKU's line for a fulfillment, in the caller's transaction. Safe to call again for the
     * same fulfillment: the second call finds the first redemption and consumes nothing.
     */
    @Transactional
    public Redemption redeem(String fulfillmentId, String accountId, PakCode code, String sku) {
        Optional<Long> earlier = paks.redemptionLine(fulfillmentId);
        if (earlier.isPresent()) {
            return new Redemption.Redeemed(earlier.get(), true);
        }
        Optional<Pak> pak = find(code, accountId, false);
        if (pak.isEmpty()) {
            return new Redemption.Refused(PAK_UNKNOWN, "PAK " + code.formatted()
                    + " is not known for your account. Check the code on your order, or ask the person who ordered to register it.");
        }
        Optional<Pak.PakLine> line = pak.get().line(sku);
        if (line.isEmpty()) {
            String onPak = pak.get().lines().stream().map(Pak.PakLine::sku).collect(Collectors.joining(", "));
            return new Redemption.Refused(SKU_NOT_ON_PAK, "SKU " + sku + " is not on PAK " + code.formatted()
                    + ". This PAK holds: " + onPak + ".");
        }
        if (!paks.consumeOne(line.get().id())) {
            return new Redemption.Refused(PAK_EXHAUSTED, "PAK " + code.formatted() + " has no units of " + sku
                    + " left: all " + line.get().quantity() + " have been fulfilled.");
        }
        paks.recordRedemption(fulfillmentId, line.get().id());
        audit.record(AuditLog.SYSTEM, "pak.unit-redeemed", "pak:" + code.formatted(), sku + " for fulfillment " + fulfillmentId
                + ", " + (line.get().remaining() - 1) + " left");
        return new Redemption.Redeemed(line.get().id(), false);
    }

    /** Whether a unit was redeemed for this fulfillment: the one precondition of signing its license. */
    public boolean isRedeemed(String fulfillmentId) {
        return paks.redemptionLine(fulfillmentId).isPresent();
    }
}
