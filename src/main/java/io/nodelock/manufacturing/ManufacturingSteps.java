package io.nodelock.manufacturing;

import static io.nodelock.manufacturing.process.ManufacturingProcess.*;

import io.nodelock.account.Account;
import io.nodelock.account.Accounts;
import io.nodelock.audit.AuditLog;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.catalogue.Sku;
import io.nodelock.device.Device;
import io.nodelock.device.DeviceBundles;
import io.nodelock.device.DeviceRegistry;
import io.nodelock.device.Devices;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.LicenseIssuer;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.ManufacturingBundle;
import io.nodelock.licensefile.Udi;
import io.nodelock.notification.MailOutbox;
import io.nodelock.pak.PakCode;
import io.nodelock.pak.PakService;
import io.nodelock.pak.Redemption;
import io.nodelock.workflow.Refusal;
import io.nodelock.workflow.Step;
import io.nodelock.workflow.StepContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The steps of bpmn/manufacturing-preinstall.bpmn, bound to its service tasks by topic. Each finds its order by the
 * process instance, checks its preconditions in the order's own rows, and is safe to run again: the order's status,
 * each device's state, the PAK redemption and the license file of each device's SKU happen once.
 */
@Component
class ManufacturingSteps {

    private final ManufacturingOrders orders;
    private final ManufacturingIntake intake;
    private final ManufacturingProperties properties;
    private final DeviceBundles bundles;
    private final DeviceRegistry registry;
    private final Devices devices;
    private final PakService paks;
    private final LicenseIssuer issuer;
    private final Catalogue catalogue;
    private final BundleVault vault;
    private final Accounts accounts;
    private final MailOutbox outbox;
    private final AuditLog audit;

    ManufacturingSteps(ManufacturingOrders orders, ManufacturingIntake intake, ManufacturingProperties properties, DeviceBundles bundles,
                       DeviceRegistry registry, Devices devices, PakService paks, LicenseIssuer issuer, Catalogue catalogue,
                       BundleVault vault, Accounts accounts, MailOutbox outbox, AuditLog audit) {
        this.orders = orders;
        this.intake = intake;
        this.properties = properties;
        this.bundles = bundles;
        this.registry = registry;
        this.devices = devices;
        this.paks = paks;
        this.issuer = issuer;
        this.catalogue = catalogue;
        this.vault = vault;
        this.accounts = accounts;
        this.outbox = outbox;
        this.audit = audit;
    }

    /**
     * The operation id of one SKU on one device of an order: its PAK redemption's and its license file's, so a
     * redelivered step finds what it did before instead of consuming or signing again.
     */
    static UUID issueId(UUID orderId, String udiBinding, String sku) {
        return UUID.nameUUIDFromBytes(("manufacturing:" + orderId + ":" + udiBinding + ":" + sku).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * redeem-order-units: in one transaction, checks every device again (the account's or no one's, not certified, not
     * locked) and the PAK's units, then records that the devices ship to the account and, in PAK mode, redeems one unit
     * of each SKU per device. A refusal is decided before anything is written, so a rejected order consumed nothing; a
     * PAK emptied between check and redemption fails the step whole (rolled back) and its retry refuses.
     */
    @Step(value = TOPIC_REDEEM_ORDER_UNITS, commitsAlone = true)
    void redeemOrderUnits(StepContext step) {
        ManufacturingOrder o = step.rowOf(orders::findByProcessInstance, "manufacturing order");
        if (o.status() != ManufacturingOrderStatus.SUBMITTED) {
            return; // a replay: the devices were claimed and the units redeemed once
        }
        List<ManufacturingDevice> all = orders.devices(o.id());
        List<Udi> udis = all.stream().map(ManufacturingDevice::udi).toList();
        intake.deviceConflicts(o.accountId(), udis, false).ifPresent(refusal -> {
            throw refuse(o, refusal);
        });
        PakCode pak = o.mode() == ManufacturingOrder.Mode.PAK ? PakCode.parse(o.pakCode()) : null;
        if (pak != null) {
            intake.pakShortage(o.accountId(), pak, o.pakSkus(), all.size()).ifPresent(refusal -> {
                throw refuse(o, refusal);
            });
        }
        // From here on no other account can claim these devices: units are never spent on a device taken meanwhile.
        registry.ship(AuditLog.SYSTEM, o.accountId(), o.shippingReference(), udis);
        int redeemed = 0;
        if (pak != null) {
            for (ManufacturingDevice d : all) {
                for (String sku : d.skus()) {
                    Redemption r = paks.redeem(issueId(o.id(), d.udi().binding(), sku).toString(), o.accountId(), pak, sku);
                    if (r instanceof Redemption.Refused refused) {
                        throw new IllegalStateException("PAK " + pak.formatted() + " changed while redeeming for order " + o.id()
                                + " (" + refused.code() + "); rolling back every unit of the order");
                    }
                    redeemed++;
                }
            }
        }
        if (orders.markMaking(o.id())) {
            audit.record(AuditLog.SYSTEM, "manufacturing.devices-claimed", ManufacturingIntake.subject(o.id()), all.size()
                    + " devices ship to account " + o.accountId() + (pak == null ? "" : "; " + redeemed + " units of PAK "
                    + pak.formatted() + " redeemed"));
        }
    }

    /**
     * make-device-batch: the next devices of the order, at most the configured batch size, in this step's own
     * transaction: each certified (key, certificate, recorded key), its licenses signed and its bundle stored
     * encrypted. A device that became another account's, certified or locked since the order was claimed fails alone,
     * with its reason; the others are made. Answers whether devices are still waiting.
     */
    @Step(value = TOPIC_MAKE_DEVICE_BATCH, commitsAlone = true)
    Map<String, Object> makeDeviceBatch(StepContext step) {
        ManufacturingOrder o = step.rowOf(orders::findByProcessInstance, "manufacturing order");
        if (o.status() == ManufacturingOrderStatus.COMPLETED || o.status() == ManufacturingOrderStatus.ERASED) {
            return Map.of(VAR_MORE_DEVICES, false); // a replay after the archive was built
        }
        if (o.status() != ManufacturingOrderStatus.MAKING) {
            throw new IllegalStateException("manufacturing order " + o.id() + " is " + o.status() + ": refusing to make its devices");
        }
        int made = 0;
        int failed = 0;
        for (ManufacturingDevice d : orders.pendingForUpdate(o.id(), properties.batchSize())) {
            Optional<Refusal> problem = problemOf(o, d);
            if (problem.isPresent()) {
                if (orders.markFailed(o.id(), d.deviceNo(), problem.get().code(), problem.get().message())) {
                    audit.record(AuditLog.SYSTEM, "manufacturing.device-failed", ManufacturingIntake.subject(o.id()),
                            d.udi().binding() + ": " + problem.get().code() + ": " + problem.get().message());
                    failed++;
                }
                continue;
            }
            make(o, d);
            made++;
        }
        orders.recount(o.id());
        ManufacturingOrder now = orders.find(o.id()).orElseThrow();
        audit.record(AuditLog.SYSTEM, "manufacturing.batch-made", ManufacturingIntake.subject(o.id()), made + " made, " + failed
                + " failed; " + now.devicesDone() + " of " + now.deviceCount() + " done (" + now.percent() + "%)");
        return Map.of(VAR_MORE_DEVICES, orders.countPending(o.id()) > 0);
    }

    private Optional<Refusal> problemOf(ManufacturingOrder o, ManufacturingDevice d) {
        Optional<DeviceBundles.Obstacle> obstacle = bundles.obstacle(o.accountId(), d.udi());
        if (obstacle.isPresent()) {
            return Optional.of(obstacle.get() == DeviceBundles.Obstacle.ANOTHER_ACCOUNTS
                    ? Refusal.of(ManufacturingRefusals.DEVICE_OF_ANOTHER_ACCOUNT, "Device " + d.udi().binding()
                            + " was given to another account after the order claimed it; it was not made.")
                    : Refusal.of(ManufacturingRefusals.DEVICE_ALREADY_CERTIFIED, "Device " + d.udi().binding()
                            + " was certified by another request after the order claimed it; it was not made."));
        }
        Optional<Device> device = devices.find(d.udi());
        if (device.isPresent() && device.get().locked()) {
            return Optional.of(Refusal.of(ManufacturingRefusals.DEVICE_LOCKED, "Device " + d.udi().binding() + " was locked ("
                    + device.get().lockedReason() + ") after the order claimed it; it was not made."));
        }
        return Optional.empty();
    }

    /** One device: its licenses (one file per SKU, idempotent per issue id), then the certified device carrying them. */
    private void make(ManufacturingOrder o, ManufacturingDevice d) {
        List<LicenseLine> lines = new ArrayList<>();
        for (String skuId : d.skus()) {
            String issueId = issueId(o.id(), d.udi().binding(), skuId).toString();
            if (o.mode() == ManufacturingOrder.Mode.PAK && !paks.isRedeemed(issueId)) {
                throw new IllegalStateException("order " + o.id() + ": no PAK unit redeemed for " + skuId + " on " + d.udi().binding()
                        + ": refusing to sign its license");
            }
            Sku sku = catalogue.sku(skuId).orElseThrow(() -> new IllegalStateException("SKU " + skuId + " left the catalogue"));
            IssuedLicenseFile file = issuer.issue(issueId, o.accountId(), sku, d.udi(), sku.eulaRequired() ? o.eulaVersion() : null);
            lines.addAll(LicenseFile.parse(file.content()).lines());
        }
        ManufacturingBundle bundle = bundles.make(AuditLog.SYSTEM, o.accountId(), d.udi(), o.shippingReference(), lines);
        byte[] sealed = vault.seal(BundleVault.bundleContext(o.id(), d.udi().binding()), bundle.toText().getBytes(StandardCharsets.UTF_8));
        if (!orders.markMade(o.id(), d.deviceNo(), bundle.certificate().serial(), bundle.deviceKey().keyId(),
                lines.stream().map(LicenseLine::licenseId).toList(), sealed)) {
            throw new IllegalStateException("device " + d.udi().binding() + " of order " + o.id() + " changed while it was made");
        }
    }

    /** build-factory-archive: every device done, the ZIP of their bundles and the manifest, stored encrypted. */
    @Step(TOPIC_BUILD_FACTORY_ARCHIVE)
    void buildFactoryArchive(StepContext step) {
        ManufacturingOrder o = step.rowOf(orders::findByProcessInstance, "manufacturing order");
        if (o.status() == ManufacturingOrderStatus.COMPLETED || o.status() == ManufacturingOrderStatus.ERASED) {
            return; // a replay: the archive was built once
        }
        if (o.status() != ManufacturingOrderStatus.MAKING || orders.countPending(o.id()) > 0) {
            throw new IllegalStateException("manufacturing order " + o.id() + " is " + o.status() + " with devices waiting: "
                    + "refusing to build its archive");
        }
        List<FactoryArchive.Entry> entries = new ArrayList<>();
        for (ManufacturingDevice d : orders.devices(o.id())) {
            String bundle = null;
            if (d.state() == ManufacturingDevice.State.MADE) {
                String binding = d.udi().binding();
                bundle = new String(vault.open(BundleVault.bundleContext(o.id(), binding), orders.sealedBundle(o.id(), binding)
                        .orElseThrow(() -> new IllegalStateException("made device " + binding + " has no bundle"))), StandardCharsets.UTF_8);
            }
            entries.add(new FactoryArchive.Entry(d.udi(), d.skus(), d.licenseIds(), d.certificateSerial(), bundle, d.failureCode()));
        }
        byte[] zip = FactoryArchive.build(entries);
        if (orders.markCompleted(o.id(), vault.seal(BundleVault.archiveContext(o.id()), zip))) {
            audit.record(AuditLog.SYSTEM, "manufacturing.completed", ManufacturingIntake.subject(o.id()), o.devicesMade() + " of "
                    + o.deviceCount() + " devices made, " + o.devicesFailed() + " failed; factory archive of " + zip.length + " bytes");
        }
    }

    /** email-order-ready: tells the operator the archive is ready and the account its devices are made; no secrets. */
    @Step(TOPIC_EMAIL_ORDER_READY)
    void emailOrderReady(StepContext step) {
        ManufacturingOrder o = step.rowOf(orders::findByProcessInstance, "manufacturing order");
        if (o.status() != ManufacturingOrderStatus.COMPLETED && o.status() != ManufacturingOrderStatus.ERASED) {
            throw new IllegalStateException("manufacturing order " + o.id() + " is " + o.status() + ": nothing to announce");
        }
        if (outbox.enqueue(ManufacturingMails.readyForOperator(o, emailOf(o.requestedBy())))) {
            audit.record(AuditLog.SYSTEM, "mail.queued", ManufacturingIntake.subject(o.id()), "order ready, to operator " + o.requestedBy());
        }
        if (o.devicesMade() > 0 && outbox.enqueue(ManufacturingMails.readyForAccount(o, emailOf(o.accountId())))) {
            audit.record(AuditLog.SYSTEM, "mail.queued", ManufacturingIntake.subject(o.id()), "devices made, to account " + o.accountId());
        }
    }

    /** record-order-rejection: a refusal the redeem step recorded on the order; tells the operator why. */
    @Step(TOPIC_RECORD_ORDER_REJECTION)
    void recordOrderRejection(StepContext step) {
        ManufacturingOrder o = step.rowOf(orders::findByProcessInstance, "manufacturing order");
        if (o.status() != ManufacturingOrderStatus.REJECTED) {
            throw new IllegalStateException("manufacturing order " + o.id() + " (" + o.status() + ") has no recorded refusal");
        }
        outbox.enqueue(ManufacturingMails.rejected(o, emailOf(o.requestedBy())));
    }

    private String emailOf(String accountId) {
        return accounts.find(accountId).map(Account::email).orElseThrow(() ->
                new IllegalStateException("account " + accountId + " is gone"));
    }

    /** Records the refusal on the order, then hands it to the model's rejection path. */
    private RuntimeException refuse(ManufacturingOrder o, Refusal refusal) {
        if (orders.markRejected(o.id(), refusal.code(), refusal.message())) {
            audit.record(AuditLog.SYSTEM, "manufacturing.rejected", ManufacturingIntake.subject(o.id()), refusal.code() + ": "
                    + refusal.message());
        }
        return FLOW.refuse(refusal);
    }
}
