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

    /** How a shipping record's UDI was taken: new for the account, already the account's, or another account's. */
    public enum Shipment { REGISTERED, ALREADY_THE_ACCOUNTS, ANOTHER_ACCOUNTS }

    /** What a shipping record would do to this UDI, without changing anything. */
    public Shipment shipmentOf(Udi udi, String accountId) {
        return owner(udi).map(owner -> owner.equals(accountId) ? Shipment.ALREADY_THE_ACCOUNTS : Shipment.ANOTHER_ACCOUNTS)
                .orElse(Shipment.REGISTERED);
    }

    /**
     * Records that the device ships to the account (a shipping or manufacturing record): the UDI is the account's from
     * now on, before any license names it. Another account's device is not taken over: the caller checks first.
     */
    public void ship(Udi udi, String accountId, String reference) {
        if (owner(udi).isEmpty()) {
            jdbc.update("insert into device (udi, product_id, serial_number, account_id, first_seen_at, registered_by, shipment_reference) "
                    + "values (?, ?, ?, ?, ?, 'shipment', ?)", udi.binding(), udi.productId(), udi.serialNumber(), accountId,
                    Timestamp.from(Instant.now()), reference);
        }
    }

    /**
     * Gives a device that one account claimed to the account a shipping record names: an operator's correction of a
     * squatted UDI. Its device key is forgotten (the new holder's device registers its own).
     */
    public void reassign(Udi udi, String toAccountId, String reference) {
        jdbc.update("delete from device_key where udi = ?", udi.binding());
        jdbc.update("update device set account_id = ?, registered_by = 'shipment', shipment_reference = ? where udi = ?", toAccountId,
                reference, udi.binding());
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
