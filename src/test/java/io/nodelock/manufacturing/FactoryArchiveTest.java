package io.nodelock.manufacturing;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodelock.licensefile.Udi;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class FactoryArchiveTest {

    static final Udi C1111 = Udi.parse("PID:C1111-4P,SN:FGL2231AB1C,VID:V01");
    static final Udi ISR = Udi.parse("PID:ISR4331/K9,SN:FDO21520ABC");

    @Test
    void fileNamesNeedNoEscapingAndLeadBackToTheirDevice() {
        assertThat(FactoryArchive.fileName(C1111)).isEqualTo("C1111-4P_FGL2231AB1C.nlmb");
        assertThat(FactoryArchive.fileName(ISR)).isEqualTo("ISR4331~K9_FDO21520ABC.nlmb");
        assertThat(FactoryArchive.bindingOf("ISR4331~K9_FDO21520ABC.nlmb")).contains(ISR.binding());
        assertThat(FactoryArchive.bindingOf("ISR4331~K9_FDO21520ABC")).contains(ISR.binding());
        assertThat(FactoryArchive.bindingOf(FactoryArchive.stem(C1111))).contains("PID:C1111-4P,SN:FGL2231AB1C");
        assertThat(FactoryArchive.bindingOf("no-separator")).isEmpty();
        assertThat(FactoryArchive.bindingOf("C1111-4P_")).isEmpty();
        assertThat(FactoryArchive.bindingOf("c1111_lower")).isEmpty();
        assertThat(FactoryArchive.bindingOf("../../etc_passwd")).isEmpty();
    }

    @Test
    void theArchiveHoldsOneBundlePerMadeDeviceAndAManifestRowPerDevice() throws IOException {
        byte[] zip = FactoryArchive.build(List.of(
                new FactoryArchive.Entry(C1111, List.of("FL-C1111-SEC-K9", "SL-1100-AIS-K9"), List.of("NL-A", "NL-B"), "NL-0011",
                        "NLMB1 bundle one\n", null),
                new FactoryArchive.Entry(ISR, List.of("FL-ISR4300-SEC-K9"), List.of(), null, null, "DEVICE_ALREADY_CERTIFIED")));
        Map<String, String> entries = unzip(zip);
        assertThat(entries.keySet()).containsExactly("C1111-4P_FGL2231AB1C.nlmb", "manifest.csv");
        assertThat(entries.get("C1111-4P_FGL2231AB1C.nlmb")).isEqualTo("NLMB1 bundle one\n");
        assertThat(entries.get("manifest.csv")).isEqualTo(FactoryArchive.MANIFEST_HEADER + "\r\n"
                + "\"PID:C1111-4P,SN:FGL2231AB1C\",C1111-4P_FGL2231AB1C.nlmb,MADE,FL-C1111-SEC-K9 SL-1100-AIS-K9,NL-A NL-B,NL-0011,\r\n"
                + "\"PID:ISR4331/K9,SN:FDO21520ABC\",,FAILED,FL-ISR4300-SEC-K9,,,DEVICE_ALREADY_CERTIFIED\r\n");
        // The same devices give the same bytes: entries carry a fixed time.
        assertThat(FactoryArchive.build(List.of(new FactoryArchive.Entry(C1111, List.of(), List.of(), "S", "x", null))))
                .isEqualTo(FactoryArchive.build(List.of(new FactoryArchive.Entry(C1111, List.of(), List.of(), "S", "x", null))));
    }

    static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }
}
