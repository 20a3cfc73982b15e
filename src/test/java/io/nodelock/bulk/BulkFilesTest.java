package io.nodelock.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseSigner;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.Udi;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BulkFilesTest {

    @Test
    void readsQuotedAndUnquotedUdisWithTheirLineNumbers() {
        BulkFiles.Parsed parsed = BulkFiles.parseCsv("\uFEFFUDI , SKU\r\n\"PID:C1111-4P,SN:A1\",FL-C1111-SEC-K9\r\n\r\n"
                + "PID:ISR4331/K9,SN:B2,VID:V01, EVAL-ISR4300-SEC \n \"PID:C1111-4P,SN:\"\"Q\"\"\" , X\n");
        assertThat(parsed.bad()).isEmpty();
        assertThat(parsed.rows()).containsExactly(new BulkFiles.RawRow(2, "PID:C1111-4P,SN:A1", "FL-C1111-SEC-K9"),
                new BulkFiles.RawRow(4, "PID:ISR4331/K9,SN:B2,VID:V01", "EVAL-ISR4300-SEC"),
                new BulkFiles.RawRow(5, "PID:C1111-4P,SN:\"Q\"", "X"));
    }

    @Test
    void namesEveryLineItCannotRead() {
        BulkFiles.Parsed parsed = BulkFiles.parseCsv("udi,sku\nonly-one-field\n\"PID:X,SN:1\",A,B\n\"unclosed,A\nab\"c,A\n\"x\" y,A\n");
        assertThat(parsed.rows()).isEmpty();
        assertThat(parsed.bad()).extracting(BulkFiles.BadLine::line).containsExactly(2, 3, 4, 5, 6);
        assertThat(parsed.bad().get(2).message()).contains("not closed");
        assertThat(BulkFiles.parseCsv("sku,udi\nA,B\n").bad()).extracting(BulkFiles.BadLine::line).containsExactly(1);
        assertThat(BulkFiles.parseCsv("\n\n").bad()).singleElement().satisfies(b -> assertThat(b.message()).contains("empty"));
        assertThat(BulkFiles.parseCsv("udi,sku").rows()).isEmpty();
    }

    @Test
    void theArchiveHoldsOneFilePerDeviceWithTheLinesOfItsRowsAndEveryOutcome() throws IOException {
        SigningKey key = SigningKey.generate();
        UUID bulk = UUID.randomUUID();
        Udi a = Udi.parse("PID:ISR4331/K9,SN:A1");
        Udi b = Udi.parse("PID:C1111-4P,SN:B2,VID:V01");
        LicenseLine a1 = line(key, "NL-A1", "securityk9", a);
        LicenseLine a2 = line(key, "NL-A2", "uck9", a);
        LicenseLine b1 = line(key, "NL-B1", "securityk9", b);
        BulkRow r1 = new BulkRow(bulk, 1, 2, a, "S1", BulkRow.State.ISSUED, null, null, List.of("NL-A1"), Instant.EPOCH);
        BulkRow r2 = new BulkRow(bulk, 2, 3, b, "S1", BulkRow.State.ISSUED, null, null, List.of("NL-B1"), Instant.EPOCH);
        BulkRow r3 = new BulkRow(bulk, 3, 4, b, "S2", BulkRow.State.REFUSED, "PAK_EXHAUSTED", "PAK \"X\" has none", List.of(), Instant.EPOCH);
        BulkRow r4 = new BulkRow(bulk, 4, 5, a, "S3", BulkRow.State.ISSUED, null, null, List.of("NL-A2"), Instant.EPOCH);
        List<BulkFulfillments.IssuedRow> issued = List.of(new BulkFulfillments.IssuedRow(r1, LicenseFile.format(List.of(a1))),
                new BulkFulfillments.IssuedRow(r2, LicenseFile.format(List.of(b1))),
                new BulkFulfillments.IssuedRow(r4, LicenseFile.format(List.of(a2))));
        byte[] zip = BulkFiles.archive(issued, List.of(r1, r2, r3, r4));
        Map<String, String> files = BulkFulfillmentFlowIT.unzip(zip);
        assertThat(files.keySet()).containsExactly("ISR4331~K9_A1.lic", "C1111-4P_B2.lic", "outcomes.csv");
        assertThat(LicenseFile.parse(files.get("ISR4331~K9_A1.lic")).lines()).containsExactly(a1, a2);
        assertThat(files.get("outcomes.csv").split("\r\n")).containsExactly(BulkFiles.OUTCOMES_HEADER,
                "1,2,\"PID:ISR4331/K9,SN:A1\",S1,ISSUED,,,NL-A1,ISR4331~K9_A1.lic",
                "2,3,\"PID:C1111-4P,SN:B2,VID:V01\",S1,ISSUED,,,NL-B1,C1111-4P_B2.lic",
                "3,4,\"PID:C1111-4P,SN:B2,VID:V01\",S2,REFUSED,PAK_EXHAUSTED,\"PAK \"\"X\"\" has none\",,",
                "4,5,\"PID:ISR4331/K9,SN:A1\",S3,ISSUED,,,NL-A2,ISR4331~K9_A1.lic");
        // The same outcomes give the same bytes.
        assertThat(BulkFiles.archive(issued, List.of(r1, r2, r3, r4))).isEqualTo(zip);
    }

    private static LicenseLine line(SigningKey key, String id, String feature, Udi udi) {
        return new LicenseSigner(key).sign(LicenseLine.builder().licenseId(id).feature(feature).udi(udi).type(LicenseType.PERMANENT)
                .issuedAt(Instant.parse("2026-12-01T00:00:00Z")).keyId(key.keyId()).build());
    }
}
