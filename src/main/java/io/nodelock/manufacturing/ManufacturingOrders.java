package io.nodelock.manufacturing;

import static io.nodelock.manufacturing.ManufacturingOrderStatus.*;
import static io.nodelock.workflow.StatusGuard.args;
import static io.nodelock.workflow.StatusGuard.statusIn;

import io.nodelock.licensefile.Udi;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Manufacturing orders and their devices. Order status changes are guarded updates built from
 * {@link ManufacturingOrderStatus}; a device moves out of PENDING once ({@code where state = 'PENDING'}).
 */
@Repository
public class ManufacturingOrders {

    private static final String ORDER_COLUMNS = "id, account_id, requested_by, reference, mode, pak_code, pak_skus, eula_consent_id, "
            + "eula_version, status, device_count, devices_made, devices_failed, archive is not null as archived, rejection_code, "
            + "rejection_message, process_instance_id, created_at, completed_at, erased_at";
    private static final String DEVICE_COLUMNS = "order_id, device_no, udi, vid, skus, state, certificate_serial, device_key_id, "
            + "license_ids, bundle is not null as bundle_stored, failure_code, failure_message, made_at";

    private final JdbcTemplate jdbc;

    public ManufacturingOrders(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<ManufacturingOrder> find(UUID id) {
        return jdbc.query("select " + ORDER_COLUMNS + " from manufacturing_order where id = ?", ManufacturingOrders::order, id)
                .stream().findFirst();
    }

    Optional<ManufacturingOrder> findByProcessInstance(String processInstanceId) {
        return jdbc.query("select " + ORDER_COLUMNS + " from manufacturing_order where process_instance_id = ?",
                ManufacturingOrders::order, processInstanceId).stream().findFirst();
    }

    /** The order's devices in the order they were given. */
    public List<ManufacturingDevice> devices(UUID orderId) {
        return jdbc.query("select " + DEVICE_COLUMNS + " from manufacturing_device where order_id = ? order by device_no",
                ManufacturingOrders::device, orderId);
    }

    Optional<ManufacturingDevice> device(UUID orderId, String udiBinding) {
        return jdbc.query("select " + DEVICE_COLUMNS + " from manufacturing_device where order_id = ? and udi = ?",
                ManufacturingOrders::device, orderId, udiBinding).stream().findFirst();
    }

    /** The next devices still waiting, locked until the batch's transaction ends. */
    List<ManufacturingDevice> pendingForUpdate(UUID orderId, int limit) {
        return jdbc.query("select " + DEVICE_COLUMNS + " from manufacturing_device where order_id = ? and state = 'PENDING' "
                + "order by device_no fetch first " + limit + " rows only for update", ManufacturingOrders::device, orderId);
    }

    int countPending(UUID orderId) {
        Integer n = jdbc.queryForObject("select count(*) from manufacturing_device where order_id = ? and state = 'PENDING'",
                Integer.class, orderId);
        return n == null ? 0 : n;
    }

    /** The open order that holds this UDI, if any. */
    Optional<UUID> openOrderOf(String udiBinding) {
        return jdbc.queryForList("select order_id from manufacturing_device where open_udi = ?", UUID.class, udiBinding).stream()
                .findFirst();
    }

    void insert(ManufacturingOrder o, List<Udi> udis, List<List<String>> skus) {
        jdbc.update("insert into manufacturing_order (id, account_id, requested_by, reference, mode, pak_code, pak_skus, "
                        + "eula_consent_id, eula_version, status, device_count, process_instance_id, created_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", o.id(), o.accountId(), o.requestedBy(), o.reference(),
                o.mode().name(), o.pakCode(), o.pakSkus().isEmpty() ? null : String.join(" ", o.pakSkus()), o.eulaConsentId(),
                o.eulaVersion(), o.status().name(), o.deviceCount(), o.processInstanceId(), Timestamp.from(o.createdAt()));
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < udis.size(); i++) {
            Udi udi = udis.get(i);
            rows.add(new Object[] {o.id(), i + 1, udi.binding(), udi.versionId(), udi.binding(), String.join(" ", skus.get(i))});
        }
        jdbc.batchUpdate("insert into manufacturing_device (order_id, device_no, udi, vid, open_udi, skus, state) "
                + "values (?, ?, ?, ?, ?, ?, 'PENDING')", rows);
    }

    boolean markMaking(UUID id) {
        return jdbc.update("update manufacturing_order set status = ? where id = ? and " + statusIn(MAKING.reachableFrom()),
                args(MAKING.reachableFrom(), MAKING.name(), id)) == 1;
    }

    /** Records the refusal and frees the order's UDIs for other orders. */
    boolean markRejected(UUID id, String code, String message) {
        boolean moved = jdbc.update("update manufacturing_order set status = ?, rejection_code = ?, rejection_message = ?, "
                + "completed_at = ? where id = ? and " + statusIn(REJECTED.reachableFrom()), args(REJECTED.reachableFrom(),
                REJECTED.name(), code, message, Timestamp.from(Instant.now()), id)) == 1;
        if (moved) {
            jdbc.update("update manufacturing_device set open_udi = null where order_id = ?", id);
        }
        return moved;
    }

    /**
     * Stores a made device's result, once: a device that is no longer PENDING keeps its first result. Its UDI is
     * released from the open-order guard: its certified key now keeps it out of any other order.
     */
    boolean markMade(UUID orderId, int deviceNo, String serial, String deviceKeyId, List<String> licenseIds, byte[] sealedBundle) {
        return jdbc.update("update manufacturing_device set state = 'MADE', certificate_serial = ?, device_key_id = ?, "
                + "license_ids = ?, bundle = ?, open_udi = null, made_at = ? where order_id = ? and device_no = ? and state = 'PENDING'", serial,
                deviceKeyId, String.join(" ", licenseIds), sealedBundle, Timestamp.from(Instant.now()), orderId, deviceNo) == 1;
    }

    /** A device the order cannot make; it no longer holds its UDI against other orders. */
    boolean markFailed(UUID orderId, int deviceNo, String code, String message) {
        return jdbc.update("update manufacturing_device set state = 'FAILED', failure_code = ?, failure_message = ?, "
                + "open_udi = null, made_at = ? where order_id = ? and device_no = ? and state = 'PENDING'", code, message,
                Timestamp.from(Instant.now()), orderId, deviceNo) == 1;
    }

    /** Sets the progress counts from the device rows (the rows are the truth; the counts are for reading). */
    void recount(UUID orderId) {
        jdbc.update("update manufacturing_order set devices_made = (select count(*) from manufacturing_device where order_id = ? "
                + "and state = 'MADE'), devices_failed = (select count(*) from manufacturing_device where order_id = ? "
                + "and state = 'FAILED') where id = ?", orderId, orderId, orderId);
    }

    boolean markCompleted(UUID id, byte[] sealedArchive) {
        boolean moved = jdbc.update("update manufacturing_order set status = ?, archive = ?, completed_at = ? where id = ? and "
                + statusIn(COMPLETED.reachableFrom()), args(COMPLETED.reachableFrom(), COMPLETED.name(), sealedArchive,
                Timestamp.from(Instant.now()), id)) == 1;
        if (moved) {
            // Made and failed devices left the guard already; this only guards against a device left behind.
            jdbc.update("update manufacturing_device set open_udi = null where order_id = ? and open_udi is not null", id);
        }
        return moved;
    }

    /** Erases every stored private key of the order: its bundles and its archive. */
    boolean markErased(UUID id) {
        boolean moved = jdbc.update("update manufacturing_order set status = ?, archive = null, erased_at = ? where id = ? and "
                + statusIn(ERASED.reachableFrom()), args(ERASED.reachableFrom(), ERASED.name(), Timestamp.from(Instant.now()), id)) == 1;
        if (moved) {
            jdbc.update("update manufacturing_device set bundle = null where order_id = ?", id);
        }
        return moved;
    }

    Optional<byte[]> sealedBundle(UUID orderId, String udiBinding) {
        return jdbc.query("select bundle from manufacturing_device where order_id = ? and udi = ? and bundle is not null",
                (rs, n) -> rs.getBytes(1), orderId, udiBinding).stream().findFirst();
    }

    Optional<byte[]> sealedArchive(UUID orderId) {
        return jdbc.query("select archive from manufacturing_order where id = ? and archive is not null", (rs, n) -> rs.getBytes(1),
                orderId).stream().findFirst();
    }

    static ManufacturingOrder order(ResultSet rs, int row) throws SQLException {
        String pakSkus = rs.getString("pak_skus");
        return new ManufacturingOrder(rs.getObject("id", UUID.class), rs.getString("account_id"), rs.getString("requested_by"),
                rs.getString("reference"), ManufacturingOrder.Mode.valueOf(rs.getString("mode")), rs.getString("pak_code"),
                words(pakSkus), rs.getObject("eula_consent_id", UUID.class), rs.getString("eula_version"),
                ManufacturingOrderStatus.valueOf(rs.getString("status")), rs.getInt("device_count"), rs.getInt("devices_made"),
                rs.getInt("devices_failed"), rs.getBoolean("archived"), rs.getString("rejection_code"),
                rs.getString("rejection_message"), rs.getString("process_instance_id"), rs.getTimestamp("created_at").toInstant(),
                instant(rs.getTimestamp("completed_at")), instant(rs.getTimestamp("erased_at")));
    }

    static ManufacturingDevice device(ResultSet rs, int row) throws SQLException {
        Udi binding = Udi.parse(rs.getString("udi"));
        return new ManufacturingDevice(rs.getObject("order_id", UUID.class), rs.getInt("device_no"),
                Udi.of(binding.productId(), binding.serialNumber(), rs.getString("vid")), words(rs.getString("skus")),
                ManufacturingDevice.State.valueOf(rs.getString("state")), rs.getString("certificate_serial"),
                rs.getString("device_key_id"), words(rs.getString("license_ids")), rs.getBoolean("bundle_stored"),
                rs.getString("failure_code"), rs.getString("failure_message"), instant(rs.getTimestamp("made_at")));
    }

    private static List<String> words(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.asList(text.split(" "));
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }
}
