package io.nodelock.manufacturing;

import static io.nodelock.manufacturing.ManufacturingRefusals.*;
import static io.nodelock.manufacturing.process.ManufacturingProcess.*;

import io.nodelock.account.Accounts;
import io.nodelock.audit.AuditLog;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.catalogue.Sku;
import io.nodelock.device.Device;
import io.nodelock.device.DeviceBundles;
import io.nodelock.device.Devices;
import io.nodelock.eula.EulaConsent;
import io.nodelock.eula.EulaConsents;
import io.nodelock.licensefile.Udi;
import io.nodelock.licensefile.UdiSyntaxException;
import io.nodelock.notification.MailOutbox;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakCode;
import io.nodelock.pak.PakCodeException;
import io.nodelock.pak.PakService;
import io.nodelock.workflow.Refusal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.operaton.bpm.engine.RuntimeService;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The manufacturing flow's intake, for operators: checks an order (devices, SKUs, EULA consent, PAK units, who holds
 * each UDI), stores it with one row per device and starts its manufacturing-preinstall instance in one transaction;
 * answers progress queries, the downloads of bundles and archive, and the erasure of the stored private keys. The
 * steps are {@link ManufacturingSteps}.
 */
@Service
public class ManufacturingIntake {

    /** At most this many SKUs per device. */
    static final int MAX_SKUS = 20;
    static final int REFERENCE_MAX = 100;

    private final ManufacturingOrders orders;
    private final Accounts accounts;
    private final Catalogue catalogue;
    private final EulaConsents eulas;
    private final PakService paks;
    private final Devices devices;
    private final DeviceBundles bundles;
    private final BundleVault vault;
    private final MailOutbox outbox;
    private final AuditLog audit;
    private final ManufacturingProperties properties;
    private final RuntimeService runtime;
    private final TransactionTemplate transactions;

    public ManufacturingIntake(ManufacturingOrders orders, Accounts accounts, Catalogue catalogue, EulaConsents eulas, PakService paks,
                               Devices devices, DeviceBundles bundles, BundleVault vault, MailOutbox outbox, AuditLog audit,
                               ManufacturingProperties properties, RuntimeService runtime, TransactionTemplate transactions) {
        this.orders = orders;
        this.accounts = accounts;
        this.catalogue = catalogue;
        this.eulas = eulas;
        this.paks = paks;
        this.devices = devices;
        this.bundles = bundles;
        this.vault = vault;
        this.outbox = outbox;
        this.audit = audit;
        this.properties = properties;
        this.runtime = runtime;
        this.transactions = transactions;
    }

    /**
     * An order as submitted: either {@code devices} (UDI mode: each device names its SKUs, possibly none), or
     * {@code pakCode} with {@code skus} and {@code udis} (PAK mode: every device gets one unit of each SKU from the PAK,
     * which must be the receiving account's).
     */
    public record OrderRequest(String accountId, String reference, List<DeviceRequest> devices, String pakCode, List<String> skus,
                               List<String> udis) {
    }

    public record DeviceRequest(String udi, List<String> skus) {
    }

    /** A checked order: its devices in order, each with its SKUs. */
    private record Checked(ManufacturingOrder.Mode mode, List<Udi> udis, List<List<String>> skus, PakCode pak, List<String> pakSkus,
                           EulaConsent consent) {
    }

    /**
     * Accepts an order and starts its process.
     *
     * @throws io.nodelock.workflow.RefusedException with the first reason the order cannot be made
     */
    public ManufacturingOrder submit(String operator, OrderRequest request) {
        Checked checked = check(request);
        UUID id = UUID.randomUUID();
        try {
            return transactions.execute(status -> {
                Map<String, Object> variables = new HashMap<>();
                variables.put(VAR_ORDER_ID, id.toString());
                variables.put(VAR_ACCOUNT_ID, request.accountId());
                String instance = runtime.startProcessInstanceByKey(PROCESS_KEY, id.toString(), variables).getId();
                ManufacturingOrder order = new ManufacturingOrder(id, request.accountId(), operator, request.reference().strip(),
                        checked.mode(), checked.pak() == null ? null : checked.pak().value(), checked.pakSkus(),
                        checked.consent() == null ? null : checked.consent().id(),
                        checked.consent() == null ? null : checked.consent().eulaVersion(), ManufacturingOrderStatus.SUBMITTED,
                        checked.udis().size(), 0, 0, false, null, null, instance, Instant.now().truncatedTo(ChronoUnit.MICROS), null,
                        null);
                orders.insert(order, checked.udis(), checked.skus());
                audit.record(operator, "manufacturing.submitted", subject(id), checked.udis().size() + " devices for account "
                        + request.accountId() + " (" + order.reference() + "), " + checked.mode() + " mode"
                        + (checked.pak() == null ? "" : ", PAK " + checked.pak().formatted() + " " + String.join(" ", checked.pakSkus()))
                        + (checked.consent() == null ? "" : ", EULA " + checked.consent().eulaVersion() + " under consent "
                        + checked.consent().id()));
                return order;
            });
        } catch (DuplicateKeyException race) {
            // Another order took one of these UDIs between the check and the insert; this one rolled back whole.
            throw FLOW.refuse(Refusal.of(DEVICE_IN_OPEN_ORDER, "udis", "A concurrent manufacturing order took some of these "
                    + "devices; nothing was recorded. Submit again to see which."));
        }
    }

    private Checked check(OrderRequest r) {
        if (r.accountId() == null || !accounts.exists(r.accountId())) {
            throw invalid("accountId", "no account '" + r.accountId() + "'");
        }
        if (r.reference() == null || r.reference().isBlank() || r.reference().length() > REFERENCE_MAX
                || r.reference().chars().anyMatch(Character::isISOControl)) {
            throw invalid("reference", "reference must be 1 to " + REFERENCE_MAX + " characters without control characters");
        }
        boolean pakMode = r.pakCode() != null;
        if (pakMode && r.devices() != null) {
            throw invalid("devices", "an order names either devices (each with its SKUs) or pakCode with skus and udis, not both");
        }
        if (!pakMode && (r.udis() != null || r.skus() != null)) {
            throw invalid("pakCode", "udis and skus belong to a PAK order: name its pakCode, or list devices with their SKUs");
        }
        String listField = pakMode ? "udis" : "devices";
        int count = pakMode ? size(r.udis()) : size(r.devices());
        if (count == 0) {
            throw invalid(listField, listField + " must name at least one device");
        }
        if (count > properties.maxDevices()) {
            throw FLOW.refuse(Refusal.of(TOO_MANY_DEVICES, listField, "An order holds at most " + properties.maxDevices()
                    + " devices, this one " + count + ": split it."));
        }
        List<Udi> udis = new ArrayList<>();
        List<List<String>> skus = new ArrayList<>();
        List<Refusal.FieldError> badUdis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String field = pakMode ? "udis[" + i + "]" : "devices[" + i + "].udi";
            String text = pakMode ? r.udis().get(i) : r.devices().get(i) == null ? null : r.devices().get(i).udi();
            try {
                if (text == null) {
                    throw new UdiSyntaxException(UdiSyntaxException.Reason.EMPTY, "UDI is missing");
                }
                udis.add(Udi.parse(text));
            } catch (UdiSyntaxException e) {
                badUdis.add(new Refusal.FieldError(field, field + ": " + e.getMessage()));
                udis.add(null);
            }
            skus.add(pakMode ? r.skus() == null ? List.of() : r.skus() : r.devices().get(i) == null || r.devices().get(i).skus() == null
                    ? List.of() : r.devices().get(i).skus());
        }
        if (!badUdis.isEmpty()) {
            throw FLOW.refuse(new Refusal(UDI_INVALID, badUdis.size() == 1 ? badUdis.get(0).message() : badUdis.size()
                    + " UDIs are malformed; see 'errors'.", badUdis, Map.of()));
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        Set<String> duplicates = new TreeSet<>();
        for (Udi udi : udis) {
            if (seen.merge(udi.binding(), 1, Integer::sum) > 1) {
                duplicates.add(udi.binding());
            }
        }
        if (!duplicates.isEmpty()) {
            throw FLOW.refuse(Refusal.of(DUPLICATE_UDI, listField, "Each device appears once in an order; given more than once: "
                    + String.join(", ", duplicates) + ".").with("udis", List.copyOf(duplicates)));
        }
        Set<String> needEula = checkSkus(pakMode, udis, skus);
        EulaConsent consent = null;
        if (!needEula.isEmpty()) {
            String current = eulas.current().version();
            consent = eulas.latestOfAccount(r.accountId(), current).orElseThrow(() -> FLOW.refuse(Refusal.of(EULA_NOT_ACCEPTED, "skus",
                    "SKU(s) " + String.join(", ", needEula) + " need the end-user license agreement, and account " + r.accountId()
                            + " has not accepted its current version " + current + ". Preinstall them only after the customer "
                            + "accepted it (e.g. with a fulfillment or evaluation); nothing was recorded.")
                    .with("eulaVersion", current).with("skus", List.copyOf(needEula))));
        }
        PakCode pak = null;
        List<String> pakSkus = List.of();
        if (pakMode) {
            try {
                pak = PakCode.parse(r.pakCode());
            } catch (PakCodeException e) {
                throw invalid("pakCode", "pakCode: " + e.getMessage());
            }
            pakSkus = List.copyOf(r.skus());
            pakShortage(r.accountId(), pak, pakSkus, count).ifPresent(refusal -> {
                throw FLOW.refuse(refusal);
            });
        }
        deviceConflicts(r.accountId(), udis, true).ifPresent(refusal -> {
            throw FLOW.refuse(refusal);
        });
        return new Checked(pakMode ? ManufacturingOrder.Mode.PAK : ManufacturingOrder.Mode.UDI, udis, skus, pak, pakSkus, consent);
    }

    /** Checks every device's SKUs; returns the SKUs that need the EULA. */
    private Set<String> checkSkus(boolean pakMode, List<Udi> udis, List<List<String>> skus) {
        Set<String> needEula = new TreeSet<>();
        List<Refusal.FieldError> unknown = new ArrayList<>();
        List<Refusal.FieldError> notValid = new ArrayList<>();
        for (int i = 0; i < udis.size(); i++) {
            List<String> list = skus.get(i);
            String field = pakMode ? "skus" : "devices[" + i + "].skus";
            if (pakMode && list.isEmpty()) {
                throw invalid("skus", "skus must name at least one SKU of the PAK");
            }
            if (list.size() > MAX_SKUS || new LinkedHashSet<>(list).size() != list.size()) {
                throw invalid(field, field + " must name 0 to " + MAX_SKUS + " SKUs, each once");
            }
            for (String id : list) {
                Optional<Sku> sku = id == null ? Optional.empty() : catalogue.sku(id);
                if (sku.isEmpty()) {
                    unknown.add(new Refusal.FieldError(field, "unknown SKU '" + id + "'"));
                } else if (!sku.get().appliesTo(udis.get(i).productId())) {
                    notValid.add(new Refusal.FieldError(field, "SKU " + id + " does not apply to " + udis.get(i).binding()
                            + "; it applies to " + String.join(", ", new TreeSet<>(sku.get().productIds()))));
                } else if (sku.get().eulaRequired()) {
                    needEula.add(id);
                }
            }
            if (pakMode && (!unknown.isEmpty() || !notValid.isEmpty())) {
                break; // the same SKUs for every device: the first device's findings say it all
            }
        }
        if (!unknown.isEmpty()) {
            throw FLOW.refuse(new Refusal(SKU_UNKNOWN, unknown.size() == 1 ? unknown.get(0).message() : unknown.size()
                    + " SKUs are not in the catalogue; see 'errors'.", unknown, Map.of()));
        }
        if (!notValid.isEmpty()) {
            throw FLOW.refuse(new Refusal(UDI_NOT_VALID_FOR_SKU, notValid.size() == 1 ? notValid.get(0).message() : notValid.size()
                    + " devices get SKUs that do not apply to their product; see 'errors'.", notValid, Map.of()));
        }
        return needEula;
    }

    /** Why the account's PAK cannot give one unit of each SKU to each of {@code devices} devices now, if it cannot. */
    Optional<Refusal> pakShortage(String accountId, PakCode code, List<String> skus, int devices) {
        Optional<Pak> pak = paks.find(code, accountId, false);
        if (pak.isEmpty()) {
            return Optional.of(Refusal.of(PAK_UNKNOWN, "pakCode", "PAK " + code.formatted() + " is not a PAK of account "
                    + accountId + ": the units preinstalled on its devices come from its own PAKs."));
        }
        for (String sku : skus) {
            Optional<Pak.PakLine> line = pak.get().line(sku);
            if (line.isEmpty()) {
                return Optional.of(Refusal.of(SKU_NOT_ON_PAK, "skus", "SKU " + sku + " is not on PAK " + code.formatted() + "."));
            }
            if (line.get().remaining() < devices) {
                return Optional.of(Refusal.of(PAK_EXHAUSTED, "pakCode", "PAK " + code.formatted() + " has " + line.get().remaining()
                        + " units of " + sku + " left; the order needs " + devices + ". Nothing was consumed.")
                        .with("sku", sku).with("unitsLeft", line.get().remaining()).with("unitsNeeded", devices));
            }
        }
        return Optional.empty();
    }

    /**
     * The first kind of device conflict, naming every UDI of that kind: another account's, certified already, locked,
     * or (at intake) in another open order. The redeem step asks again, since time passed.
     */
    Optional<Refusal> deviceConflicts(String accountId, List<Udi> udis, boolean intake) {
        List<String> another = new ArrayList<>();
        List<String> certified = new ArrayList<>();
        List<String> locked = new ArrayList<>();
        List<String> inOrder = new ArrayList<>();
        for (Udi udi : udis) {
            Optional<DeviceBundles.Obstacle> obstacle = bundles.obstacle(accountId, udi);
            if (obstacle.isPresent()) {
                (obstacle.get() == DeviceBundles.Obstacle.ANOTHER_ACCOUNTS ? another : certified).add(udi.binding());
            } else if (devices.find(udi).map(Device::locked).orElse(false)) {
                locked.add(udi.binding());
            } else if (intake && orders.openOrderOf(udi.binding()).isPresent()) {
                inOrder.add(udi.binding());
            }
        }
        if (!another.isEmpty()) {
            return Optional.of(conflict(DEVICE_OF_ANOTHER_ACCOUNT, another, "held by other accounts (an operator may release "
                    + "them: POST /api/v1/devices/release)"));
        }
        if (!certified.isEmpty()) {
            return Optional.of(conflict(DEVICE_ALREADY_CERTIFIED, certified, "certified already: a device with another key "
                    + "would be refused"));
        }
        if (!locked.isEmpty()) {
            return Optional.of(conflict(DEVICE_LOCKED, locked, "locked (under RMA or failed)"));
        }
        if (!inOrder.isEmpty()) {
            return Optional.of(conflict(DEVICE_IN_OPEN_ORDER, inOrder, "in another open manufacturing order"));
        }
        return Optional.empty();
    }

    private static Refusal conflict(String code, List<String> udis, String what) {
        String shown = udis.size() <= 20 ? String.join(", ", udis) : String.join(", ", udis.subList(0, 20)) + " and "
                + (udis.size() - 20) + " more";
        return Refusal.of(code, udis.size() + " device(s) are " + what + ": " + shown + ".").with("udis", List.copyOf(udis));
    }

    public Optional<ManufacturingOrder> find(UUID id) {
        return orders.find(id);
    }

    public List<ManufacturingDevice> devices(UUID id) {
        return orders.devices(id);
    }

    public Optional<MailOutbox.MailStatus> mail(UUID id) {
        return outbox.find(ManufacturingMails.readyKey(id, ManufacturingMails.TO_OPERATOR));
    }

    /** What a download answers. */
    public sealed interface Download {
        record Ready(String fileName, byte[] content) implements Download {
        }

        /** The order is not complete (or was rejected); nothing to download yet or ever. */
        record NotReady(ManufacturingOrderStatus status) implements Download {
        }

        /** The stored private keys were erased. */
        record Erased(Instant at) implements Download {
        }

        record NotFound() implements Download {
        }
    }

    /** The factory archive of a completed order, decrypted; audited. */
    public Download archive(UUID id, String operator) {
        Optional<ManufacturingOrder> found = orders.find(id);
        if (found.isEmpty()) {
            return new Download.NotFound();
        }
        ManufacturingOrder o = found.get();
        if (o.status() == ManufacturingOrderStatus.ERASED) {
            return new Download.Erased(o.erasedAt());
        }
        if (o.status() != ManufacturingOrderStatus.COMPLETED) {
            return new Download.NotReady(o.status());
        }
        byte[] zip = vault.open(BundleVault.archiveContext(id), orders.sealedArchive(id).orElseThrow(() ->
                new IllegalStateException("completed order " + id + " has no archive")));
        audit.record(operator, "manufacturing.archive-downloaded", subject(id), o.devicesMade() + " bundles, " + zip.length + " bytes");
        return new Download.Ready(o.archiveFileName(), zip);
    }

    /**
     * One device's bundle of a completed order, decrypted; audited.
     *
     * @param udiOrFileName the device's UDI, or its bundle's file name (or stem) as the manifest names it
     */
    public Download bundle(UUID id, String udiOrFileName, String operator) {
        Optional<ManufacturingOrder> found = orders.find(id);
        Optional<String> binding = bindingOf(udiOrFileName);
        if (found.isEmpty() || binding.isEmpty()) {
            return new Download.NotFound();
        }
        ManufacturingOrder o = found.get();
        Optional<ManufacturingDevice> device = orders.device(id, binding.get());
        if (device.isEmpty()) {
            return new Download.NotFound();
        }
        if (o.status() == ManufacturingOrderStatus.ERASED) {
            return new Download.Erased(o.erasedAt());
        }
        if (o.status() != ManufacturingOrderStatus.COMPLETED || device.get().state() != ManufacturingDevice.State.MADE) {
            return new Download.NotReady(o.status());
        }
        byte[] text = vault.open(BundleVault.bundleContext(id, binding.get()), orders.sealedBundle(id, binding.get()).orElseThrow(() ->
                new IllegalStateException("made device " + binding.get() + " of order " + id + " has no bundle")));
        audit.record(operator, "manufacturing.bundle-downloaded", subject(id), "bundle of " + binding.get() + " (certificate "
                + device.get().certificateSerial() + ")");
        return new Download.Ready(FactoryArchive.fileName(device.get().udi()), text);
    }

    private static Optional<String> bindingOf(String udiOrFileName) {
        if (udiOrFileName == null) {
            return Optional.empty();
        }
        if (udiOrFileName.startsWith("PID:")) {
            try {
                return Optional.of(Udi.parse(udiOrFileName).binding());
            } catch (UdiSyntaxException e) {
                return Optional.empty();
            }
        }
        return FactoryArchive.bindingOf(udiOrFileName);
    }

    /** What an erasure did. */
    public enum Erasure { ERASED, ALREADY_ERASED, NOT_COMPLETE, NOT_FOUND }

    /** Erases the stored bundles and archive of a completed order (the factory has them); audited. */
    public Erasure erase(UUID id, String operator) {
        return transactions.execute(status -> {
            Optional<ManufacturingOrder> found = orders.find(id);
            if (found.isEmpty()) {
                return Erasure.NOT_FOUND;
            }
            if (orders.markErased(id)) {
                audit.record(operator, "manufacturing.bundles-erased", subject(id), "stored bundles and archive of "
                        + found.get().devicesMade() + " devices erased (their private keys are no longer kept)");
                return Erasure.ERASED;
            }
            return found.get().status() == ManufacturingOrderStatus.ERASED ? Erasure.ALREADY_ERASED : Erasure.NOT_COMPLETE;
        });
    }

    /** The name a device's bundle is downloaded by: its file name's stem, which needs no escaping in a URL. */
    public static String bundleName(ManufacturingDevice device) {
        return FactoryArchive.stem(device.udi());
    }

    static String subject(UUID id) {
        return "manufacturing:" + id;
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }

    private static RuntimeException invalid(String field, String message) {
        return FLOW.refuse(Refusal.invalid(List.of(new Refusal.FieldError(field, message))));
    }

}
