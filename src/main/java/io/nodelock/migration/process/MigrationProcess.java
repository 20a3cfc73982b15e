package io.nodelock.migration.process;

import io.nodelock.eula.EulaRefusals;
import io.nodelock.migration.MigrationRefusals;
import io.nodelock.workflow.FlowDeclaration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Names shared by bpmn/license-migration.bpmn, forms/license-migration.form and the Java side; a test keeps them in sync. */
public final class MigrationProcess {

    public static final String PROCESS_KEY = "license-migration";
    public static final String START_FORM = "license-migration";
    public static final String ERROR_REFUSED = "MIGRATION_REFUSED";

    public static final String TOPIC_CHECK_MIGRATION = "check-migration";
    public static final String TOPIC_REDEEM_UPGRADE_UNIT = "redeem-upgrade-unit";
    public static final String TOPIC_SIGN_UPGRADED_LICENSE = "sign-upgraded-license";
    public static final String TOPIC_EMAIL_UPGRADED_LICENSE = "email-upgraded-license";
    public static final String TOPIC_RECORD_MIGRATION_REJECTION = "record-migration-rejection";
    public static final List<String> TOPICS = List.of(TOPIC_CHECK_MIGRATION, TOPIC_REDEEM_UPGRADE_UNIT, TOPIC_SIGN_UPGRADED_LICENSE,
            TOPIC_EMAIL_UPGRADED_LICENSE, TOPIC_RECORD_MIGRATION_REJECTION);

    public static final String VAR_MIGRATION_ID = "migrationId";
    public static final String VAR_ACCOUNT_ID = "accountId";
    public static final String VAR_LICENSE_ID = "licenseId";
    public static final String VAR_UDI = "udi";
    public static final String VAR_PAK_CODE = "pakCode";
    public static final String VAR_SKU = "sku";
    public static final String VAR_EULA_ACCEPTED = "eulaAccepted";
    public static final String VAR_REJECTION_CODE = FlowDeclaration.VAR_REJECTION_CODE;
    public static final String VAR_REJECTION_MESSAGE = FlowDeclaration.VAR_REJECTION_MESSAGE;

    /** Fields of the customer's start form, in order; the result always goes to the account's registered address. */
    public static final List<String> START_FORM_FIELDS = List.of(VAR_LICENSE_ID, VAR_PAK_CODE, VAR_SKU, VAR_EULA_ACCEPTED);

    /** The flow's names as one declaration, checked against the model and its form by the model contract test. */
    public static final FlowDeclaration FLOW = new FlowDeclaration(PROCESS_KEY, TOPICS, List.of(ERROR_REFUSED), List.of(),
            Map.of(START_FORM, START_FORM_FIELDS), Map.of(), FlowDeclaration.variablesOf(MigrationProcess.class), Set.of(), Set.of(),
            new FlowDeclaration.Refusals("Migration refused", Map.ofEntries(
                    Map.entry(MigrationRefusals.REQUEST_INVALID, 400),
                    Map.entry(MigrationRefusals.PAK_INVALID, 400),
                    Map.entry(MigrationRefusals.UNKNOWN_LICENSE, 404),
                    Map.entry(MigrationRefusals.NOT_MIGRATABLE, 409),
                    Map.entry(MigrationRefusals.MIGRATION_OPEN, 409),
                    Map.entry(MigrationRefusals.DEVICE_LOCKED, 422),
                    Map.entry(MigrationRefusals.PAK_UNKNOWN, 422),
                    Map.entry(MigrationRefusals.SKU_NOT_ON_PAK, 422),
                    Map.entry(MigrationRefusals.PAK_EXHAUSTED, 422),
                    Map.entry(EulaRefusals.EULA_NOT_ACCEPTED, 422),
                    Map.entry(EulaRefusals.EULA_UNKNOWN, 422),
                    Map.entry(EulaRefusals.EULA_OUTDATED, 422))));

    private MigrationProcess() {
    }
}
