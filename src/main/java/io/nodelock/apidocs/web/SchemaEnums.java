package io.nodelock.apidocs.web;

import io.nodelock.account.AccountRefusal;
import io.nodelock.account.AccountUser;
import io.nodelock.account.AccountUserRole;
import io.nodelock.account.ApiTokens;
import io.nodelock.bulk.BulkRefusals;
import io.nodelock.bulk.BulkRow;
import io.nodelock.bulk.BulkStatus;
import io.nodelock.eula.EulaRefusals;
import io.nodelock.evaluation.EvaluationRefusals;
import io.nodelock.extension.ExtensionRefusals;
import io.nodelock.extension.ExtensionStatus;
import io.nodelock.fulfillment.FulfillmentRefusals;
import io.nodelock.fulfillment.FulfillmentStatus;
import io.nodelock.inventory.RequestKind;
import io.nodelock.license.License;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.manufacturing.ManufacturingDevice;
import io.nodelock.manufacturing.ManufacturingOrderStatus;
import io.nodelock.manufacturing.ManufacturingRefusals;
import io.nodelock.migration.MigrationKind;
import io.nodelock.migration.MigrationRefusals;
import io.nodelock.migration.MigrationStatus;
import io.nodelock.notification.MailOutbox;
import io.nodelock.pak.PakService;
import io.nodelock.rehost.RehostRefusals;
import io.nodelock.rehost.RehostStatus;
import io.nodelock.resend.ResendIntake;
import io.nodelock.resend.ResendRefusals;
import io.nodelock.resend.ResendStatus;
import io.nodelock.rma.RmaRefusals;
import io.nodelock.rma.RmaStatus;
import io.nodelock.workflow.Refusal;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The values of the API's status, kind, type, role and code fields, by schema and property: the views carry them as
 * text, so springdoc cannot see the enum behind them. Each list is taken from the enum or the constants the value is
 * made from, never typed out again, and the integration tests hold every answer to it (ContractCheck in the tests).
 */
final class SchemaEnums {

    /** Where every refusal code of the API is declared: the capabilities' *Refusals classes (their String constants). */
    private static final List<Class<?>> REFUSAL_CODES = List.of(FulfillmentRefusals.class, RmaRefusals.class, RehostRefusals.class,
            ResendRefusals.class, ExtensionRefusals.class, EvaluationRefusals.class, MigrationRefusals.class,
            ManufacturingRefusals.class, BulkRefusals.class, EulaRefusals.class, AccountRefusal.class);

    private SchemaEnums() {
    }

    /** Every refusal code: what a problem's or a rejection's {@code code} can be. */
    static List<String> refusalCodes() {
        Set<String> codes = new TreeSet<>(List.of(Refusal.INVALID_REQUEST, PakService.PAK_UNKNOWN, PakService.SKU_NOT_ON_PAK,
                PakService.PAK_EXHAUSTED));
        for (Class<?> owner : REFUSAL_CODES) {
            for (Field field : owner.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && Modifier.isFinal(field.getModifiers()) && field.getType() == String.class) {
                    try {
                        codes.add((String) field.get(null));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return List.copyOf(codes);
    }

    /**
     * "Schema.property" to its values; a schema written "*Suffix" applies to every schema ending so (the refusals and
     * mails nested in each flow's view).
     */
    static Map<String, List<String>> byProperty() {
        List<String> licenseTypes = Arrays.stream(LicenseType.values()).map(LicenseType::wireName).toList();
        List<String> licenseStatuses = names(License.Status.values());
        List<String> roles = names(AccountUserRole.values());
        List<String> scopes = Arrays.stream(ApiTokens.Scope.values()).map(ApiTokens.Scope::wire).toList();
        List<String> channels = List.of(ResendIntake.CHANNEL_API, ResendIntake.CHANNEL_CALL_HOME);
        List<String> kinds = Arrays.stream(RequestKind.values()).map(RequestKind::wireName).toList();
        Set<String> anyRequestStatus = new TreeSet<>();
        Arrays.stream(RequestKind.values()).forEach(k -> anyRequestStatus.addAll(k.statuses()));
        List<String> codes = refusalCodes();

        Map<String, List<String>> enums = new LinkedHashMap<>();
        enums.put("FulfillmentFulfillmentView.status", names(FulfillmentStatus.values()));
        enums.put("RmaRmaView.status", names(RmaStatus.values()));
        enums.put("RehostRehostView.status", names(RehostStatus.values()));
        enums.put("ExtensionExtensionView.status", names(ExtensionStatus.values()));
        enums.put("ResendResendView.status", names(ResendStatus.values()));
        enums.put("ResendResendView.channel", channels);
        enums.put("ManufacturingOrderView.status", names(ManufacturingOrderStatus.values()));
        enums.put("ManufacturingDeviceView.state", names(ManufacturingDevice.State.values()));
        enums.put("BulkFulfillmentBulkView.status", names(BulkStatus.values()));
        enums.put("BulkFulfillmentRowView.status", names(BulkRow.State.values()));
        enums.put("MigrationMigrationView.status", names(MigrationStatus.values()));
        enums.put("MigrationMigrationView.kind", names(MigrationKind.values()));
        enums.put("MigrationMigrationSummary.status", names(MigrationStatus.values()));
        enums.put("MigrationOffersView.status", licenseStatuses);
        enums.put("MigrationOffersView.type", licenseTypes);
        enums.put("MigrationOfferView.kind", names(MigrationKind.values()));
        enums.put("MigrationOfferView.type", licenseTypes);
        enums.put("EvaluationEvaluationView.type", licenseTypes);
        enums.put("RehostTransferableLicense.type", licenseTypes);
        enums.put("DeviceInventoryLicense.status", licenseStatuses);
        enums.put("DeviceInventoryLicense.type", licenseTypes);
        enums.put("LicenseInventoryItem.status", licenseStatuses);
        enums.put("LicenseInventoryItem.type", licenseTypes);
        enums.put("RequestInventoryRequest.kind", kinds);
        enums.put("RequestInventoryRequest.status", List.copyOf(anyRequestStatus));
        enums.put("RequestInventoryFulfillmentItem.status", names(FulfillmentStatus.values()));
        enums.put("RequestInventoryRmaItem.status", names(RmaStatus.values()));
        enums.put("RequestInventoryRehostItem.status", names(RehostStatus.values()));
        enums.put("RequestInventoryExtensionItem.status", names(ExtensionStatus.values()));
        enums.put("RequestInventoryResendItem.status", names(ResendStatus.values()));
        enums.put("RequestInventoryResendItem.channel", channels);
        enums.put("AccountInvitation.role", roles);
        enums.put("AccountUserChange.role", roles);
        enums.put("AccountUserView.role", roles);
        enums.put("AccountUserView.status", names(AccountUser.Status.values()));
        enums.put("AccountsInvitation.role", roles);
        enums.put("AccountsInvited.role", roles);
        enums.put("AccountsInvited.status", names(AccountUser.Status.values()));
        enums.put("AccountNewToken.scope", scopes);
        enums.put("AccountIssuedToken.scope", scopes);
        enums.put("AccountTokenView.scope", scopes);
        enums.put("*MailView.status", names(MailOutbox.Status.values()));
        enums.put("MailOutboxMailStatus.status", names(MailOutbox.Status.values()));
        enums.put("*Rejection.code", codes);
        enums.put("*Refusal.code", codes);
        enums.put(OpenApiConfiguration.PROBLEM + ".code", codes);
        return enums;
    }

    private static List<String> names(Enum<?>[] values) {
        return Stream.of(values).map(Enum::name).toList();
    }

    /** The schemas a key names: one, or every schema ending in the suffix after '*'. */
    static List<String> schemasOf(String key, Set<String> schemas) {
        String schema = key.substring(0, key.indexOf('.'));
        if (!schema.startsWith("*")) {
            return schemas.contains(schema) ? List.of(schema) : List.of();
        }
        List<String> matching = new ArrayList<>();
        schemas.stream().filter(s -> s.endsWith(schema.substring(1))).forEach(matching::add);
        return matching;
    }
}
