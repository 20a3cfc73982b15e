package io.nodelock.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void cellsAreQuotedPerRfc4180AndFormulaStartsAreDefused() {
        assertThat(Reports.Csv.cell("plain")).isEqualTo("plain");
        assertThat(Reports.Csv.cell("PID:C1111-4P,SN:FGL1")).isEqualTo("\"PID:C1111-4P,SN:FGL1\"");
        assertThat(Reports.Csv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Reports.Csv.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(Reports.Csv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(Reports.Csv.cell(null)).isEmpty();
        StringWriter out = new StringWriter();
        Reports.Csv csv = new Reports.Csv(out);
        csv.row("a", "b,c");
        csv.row("", null);
        assertThat(out.toString()).isEqualTo("a,\"b,c\"\r\n,\r\n");
    }
}
