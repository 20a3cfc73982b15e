package io.nodelock.device;

import io.nodelock.licensefile.Udi;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class Devices {

    private final JdbcTemplate jdbc;

    public Devices(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The account that holds licenses for this UDI, if any. */
    public Optional<String> owner(Udi udi) {
        return jdbc.queryForList("select account_id from device where udi = ?", String.class, udi.binding()).stream().findFirst();
    }

    /**
     * Records the device under the account at its first license. A device already held by another account is
     * not silently taken over: the caller refuses the request (transfers go through rehost or RMA).
     */
    public boolean registerIfAbsent(Udi udi, String accountId) {
        if (owner(udi).isPresent()) {
            return false;
        }
        jdbc.update("insert into device (udi, product_id, serial_number, account_id, first_seen_at) values (?, ?, ?, ?, ?)",
                udi.binding(), udi.productId(), udi.serialNumber(), accountId, Timestamp.from(Instant.now()));
        return true;
    }
}
