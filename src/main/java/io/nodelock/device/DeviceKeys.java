package io.nodelock.device;

import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.Udi;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The key each device signs its credentials and rehost tickets with: one per UDI, registered on first use. */
@Repository
public class DeviceKeys {

    private final JdbcTemplate jdbc;

    public DeviceKeys(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A device key as it stands, and whether this call registered it. */
    public record Registration(PublicKeyInfo key, boolean registeredNow) {
    }

    public Optional<PublicKeyInfo> find(Udi udi) {
        return jdbc.query("select public_key from device_key where udi = ?", (rs, n) -> PublicKeyInfo.of(
                Base64.getUrlDecoder().decode(rs.getString("public_key"))), udi.binding()).stream().findFirst();
    }

    /**
     * The UDI's registered key; the presented one becomes it if the UDI has none yet (trust on first use). Of two
     * concurrent first uses the primary key lets one win, and both answer with the winner's key. Call it outside a
     * transaction: on PostgreSQL a failed insert ends the transaction it runs in.
     */
    public Registration registerOnFirstUse(Udi udi, String accountId, PublicKeyInfo presented) {
        Optional<PublicKeyInfo> known = find(udi);
        if (known.isPresent()) {
            return new Registration(known.get(), false);
        }
        try {
            jdbc.update("insert into device_key (udi, account_id, public_key, key_id, registered_at) values (?, ?, ?, ?, ?)",
                    udi.binding(), accountId, Base64.getUrlEncoder().withoutPadding().encodeToString(presented.publicKey()),
                    presented.keyId(), Timestamp.from(Instant.now()));
            return new Registration(presented, true);
        } catch (DuplicateKeyException race) {
            return new Registration(find(udi).orElseThrow(), false);
        }
    }
}
