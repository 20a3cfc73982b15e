package io.nodelock.device;

import io.nodelock.audit.AuditLog;
import io.nodelock.license.License;
import io.nodelock.license.Licenses;
import io.nodelock.licensefile.Udi;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who a device belongs to, as operators record it: shipping records that name the account a device ships to (so no
 * other account can claim it first), and the release of a device another account claimed (docs/devices.md).
 */
@Service
public class DeviceRegistry {

    private final Devices devices;
    private final Licenses licenses;
    private final AuditLog audit;

    public DeviceRegistry(Devices devices, Licenses licenses, AuditLog audit) {
        this.devices = devices;
        this.licenses = licenses;
        this.audit = audit;
    }

    /** A UDI of a shipping record that another account holds already. */
    public record Conflict(String udi, String reason) {
    }

    /** What a shipping record did: UDIs registered now, and those that were the account's already. */
    public record ShipmentResult(List<String> registered, List<String> alreadyTheAccounts) {
    }

    /** Thrown when a shipping record names devices that other accounts hold: nothing of the record is stored. */
    public static class ShipmentConflict extends RuntimeException {
        private final transient List<Conflict> conflicts;

        ShipmentConflict(List<Conflict> conflicts) {
            super(conflicts.size() + " of the devices are held by other accounts");
            this.conflicts = List.copyOf(conflicts);
        }

        public List<Conflict> conflicts() {
            return conflicts;
        }
    }

    /** Records that these devices ship to the account; all or nothing. */
    @Transactional
    public ShipmentResult ship(String operator, String accountId, String reference, List<Udi> udis) {
        List<Conflict> conflicts = new ArrayList<>();
        List<String> registered = new ArrayList<>();
        List<String> already = new ArrayList<>();
        for (Udi udi : udis) {
            switch (devices.shipmentOf(udi, accountId)) {
                case ANOTHER_ACCOUNTS -> conflicts.add(new Conflict(udi.binding(), "held by another account: an operator may "
                        + "release it to this account (POST /api/v1/devices/release)"));
                case ALREADY_THE_ACCOUNTS -> already.add(udi.binding());
                case REGISTERED -> registered.add(udi.binding());
            }
        }
        if (!conflicts.isEmpty()) {
            throw new ShipmentConflict(conflicts);
        }
        for (Udi udi : udis) {
            devices.ship(udi, accountId, reference);
        }
        audit.record(operator, "device.shipped", "account:" + accountId, "shipping record " + reference + ": "
                + String.join(", ", registered) + (already.isEmpty() ? "" : "; already the account's: " + String.join(", ", already)));
        return new ShipmentResult(registered, already);
    }

    /**
     * Gives a device to the account its shipping record names, taking it from the account that claimed it. The
     * claimer's active licenses on it are revoked: they are locked to a device that was never theirs.
     *
     * @return the licenses revoked, or empty if the device is unknown
     */
    @Transactional
    public Optional<List<String>> release(String operator, Udi udi, String toAccountId, String reason) {
        Optional<Device> device = devices.find(udi);
        if (device.isEmpty()) {
            return Optional.empty();
        }
        String from = device.get().accountId();
        List<String> revoked = licenses.ofDeviceForUpdate(udi.binding(), License.Status.ACTIVE).stream()
                .filter(l -> l.accountId().equals(from) && !from.equals(toAccountId)).map(License::id).toList();
        licenses.retire(revoked, License.Status.REVOKED);
        devices.reassign(udi, toAccountId, reason);
        audit.record(operator, "device.released", "device:" + udi.binding(), "from " + from + " to " + toAccountId + ": " + reason
                + (revoked.isEmpty() ? "" : "; revoked " + String.join(", ", revoked)));
        return Optional.of(revoked);
    }
}
