package io.nodelock.pak;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public record Pak(PakCode code, String accountId, Instant createdAt, String createdBy, List<PakLine> lines) {

    public Optional<PakLine> line(String sku) {
        return lines.stream().filter(l -> l.sku().equals(sku)).findFirst();
    }

    public record PakLine(long id, int lineNo, String sku, int quantity, int consumed) {
        public int remaining() {
            return quantity - consumed;
        }
    }
}
