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

/**
 * The key each device signs its credentials and rehost tickets with: one per UDI, recorded from a manufacturing
 * certificate or, where trust on first use is allowed, registered from the first credential (docs/device-identity.md).
 */
@Repository
public class DeviceKeys {

    private final JdbcTemplate jdbc;

    public DeviceKeys(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A device key as it stands, and whether this call registered it. */
    public record Registration(PublicKeyInfo key, boolean registeredNow) {
    }

    /** A UDI's key and, when a certificate presented it, that certificate's serial and issuer. */
    public record RecordedKey(PublicKeyInfo key, String certificateSerial, String certificateIssuer) {
        public boolean certified() {
            return certificateIssuer != null;
        }
    }

    /** What {@link #recordCertified} did. */
    public enum CertifiedRecord { RECORDED, REPLACED_UNCERTIFIED, ALREADY_RECORDED, OTHER_CERTIFIED_KEY }

    public Optional<PublicKeyInfo> find(Udi udi) {
        return findRecord(udi).map(RecordedKey::key);
    }

    public Optional<RecordedKey> findRecord(Udi udi) {
        return jdbc.query("select public_key, certificate_serial, certificate_issuer from device_key where udi = ?", (rs, n) -> new RecordedKey(
                PublicKeyInfo.of(Base64.getUrlDecoder().decode(rs.getString("public_key"))), rs.getString("certificate_serial"),
                rs.getString("certificate_issuer")), udi.binding()).stream().findFirst();
    }

    /**
     * Records a key a trusted certificate presents as the UDI's key. It replaces a key registered on first use; a
     * certified key recorded before stays (a second certified key is {@link CertifiedRecord#OTHER_CERTIFIED_KEY}).
     * Of two concurrent first records the primary key lets one win; the loser answers from the winner's row.
     */
    public CertifiedRecord recordCertified(Udi udi, String accountId, PublicKeyInfo key, String serial, String issuer) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<RecordedKey> known = findRecord(udi);
            if (known.isPresent() && known.get().certified()) {
                return known.get().key().equals(key) ? CertifiedRecord.ALREADY_RECORDED : CertifiedRecord.OTHER_CERTIFIED_KEY;
            }
            if (known.isPresent()) {
                int updated = jdbc.update("update device_key set account_id = ?, public_key = ?, key_id = ?, registered_at = ?, "
                        + "certificate_serial = ?, certificate_issuer = ? where udi = ? and certificate_issuer is null", accountId,
                        encode(key), key.keyId(), Timestamp.from(Instant.now()), serial, issuer, udi.binding());
                if (updated == 1) {
                    return CertifiedRecord.REPLACED_UNCERTIFIED;
                }
                continue;
            }
            try {
                jdbc.update("insert into device_key (udi, account_id, public_key, key_id, registered_at, certificate_serial, "
                        + "certificate_issuer) values (?, ?, ?, ?, ?, ?, ?)", udi.binding(), accountId, encode(key), key.keyId(),
                        Timestamp.from(Instant.now()), serial, issuer);
                return CertifiedRecord.RECORDED;
            } catch (DuplicateKeyException race) {
                // Another request recorded a key meanwhile: decide against it.
            }
        }
        throw new IllegalStateException("device key of " + udi.binding() + " keeps changing");
    }

    private static String encode(PublicKeyInfo key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.publicKey());
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
                    udi.binding(), accountId, encode(presented),
                    presented.keyId(), Timestamp.from(Instant.now()));
            return new Registration(presented, true);
        } catch (DuplicateKeyException race) {
            return new Registration(find(udi).orElseThrow(), false);
        }
    }
}
