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

    public Optional<Device> find(Udi udi) {
        return jdbc.query("select * from device where udi = ?", (rs, n) -> new Device(rs.getString("udi"), rs.getString("product_id"),
                rs.getString("serial_number"), rs.getString("account_id"), rs.getTimestamp("first_seen_at").toInstant(),
                rs.getTimestamp("locked_at") == null ? null : rs.getTimestamp("locked_at").toInstant(), rs.getString("locked_reason")),
                udi.binding()).stream().findFirst();
    }

    /** The account that holds licenses for this UDI, if any. */
    public Optional<String> owner(Udi udi) {
        return find(udi).map(Device::accountId);
    }

    /**
     * Records the device under the account at its first license. A device already held by another account is
     * not silently taken over: the caller refuses the request (transfers go through rehost or RMA).
     */
    public boolean registerIfAbsent(Udi udi, String accountId) {
        return owner(udi).isEmpty() && claim(udi, accountId).equals(accountId);
    }

    /**
     * Registers the device under the account unless another account holds it; returns the account that holds it now.
     * Of two accounts racing for a new UDI, the second fails on the primary key (its step is retried, then sees the owner).
     */
    public String claim(Udi udi, String accountId) {
        Optional<String> owner = owner(udi);
        if (owner.isPresent()) {
            return owner.get();
        }
        jdbc.update("insert into device (udi, product_id, serial_number, account_id, first_seen_at) values (?, ?, ?, ?, ?)",
                udi.binding(), udi.productId(), udi.serialNumber(), accountId, Timestamp.from(Instant.now()));
        return accountId;
    }

    /** Locks a device so it receives nothing more; returns false if it was locked already. */
    public boolean lock(Udi udi, String reason) {
        return jdbc.update("update device set locked_at = ?, locked_reason = ? where udi = ? and locked_at is null",
                Timestamp.from(Instant.now()), reason, udi.binding()) == 1;
    }

    /** Lifts the lock set for this reason only: a lock that something else set stays. */
    public boolean unlock(Udi udi, String reason) {
        return jdbc.update("update device set locked_at = null, locked_reason = null where udi = ? and locked_reason = ?",
                udi.binding(), reason) == 1;
    }
}
