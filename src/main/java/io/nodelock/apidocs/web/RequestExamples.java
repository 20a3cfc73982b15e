package io.nodelock.apidocs.web;

import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The request bodies' required fields and examples, by schema name (a controller's nested record is named after its
 * controller). An example is a request that works against the demo data of the default run.
 */
final class RequestExamples {

    private record Body(List<String> required, Map<String, Object> example) {
    }

    private static final String UDI = "PID:C1111-4P,SN:FGL2231AB1C";
    private static final String ISR = "PID:ISR4331/K9,SN:FDO2231AB1C";
    private static final String EMAIL = "netops@acme.example";

    private static final Map<String, Body> BODIES = Map.ofEntries(
            Map.entry("FulfillmentSubmitRequest", new Body(List.of("pakCode", "sku", "udi", "email"), Map.of("pakCode", "DEM0-C111-1000-0015",
                    "sku", "FL-C1111-SEC-K9", "udi", UDI, "email", EMAIL, "eulaAccepted", true))),
            Map.entry("ResendSubmitRequest", new Body(List.of("udi"), Map.of("udi", UDI))),
            Map.entry("ExtensionExtendRequest", new Body(List.of("days", "email", "eulaAccepted"), Map.of("days", 30, "reason",
                    "Lab tests run longer", "email", EMAIL, "eulaAccepted", true))),
            Map.entry("ExtensionSubmitRequest", new Body(List.of("udi", "feature", "days", "email", "eulaAccepted"), Map.of("udi", ISR,
                    "feature", "appxk9", "days", 30, "reason", "Lab tests run longer", "email", EMAIL, "eulaAccepted", true))),
            Map.entry("EvaluationRequest", new Body(List.of("udi", "feature", "email"), Map.of("udi", ISR, "feature", "securityk9",
                    "email", EMAIL, "eulaAccepted", true))),
            Map.entry("MigrationMigrateRequest", new Body(List.of("pakCode", "sku"), Map.of("pakCode", "DEM0-R430-0000-002Q", "sku",
                    "FL-ISR4300-SEC-K9", "eulaAccepted", true))),
            Map.entry("RmaRequest", new Body(List.of("failedUdi", "replacementUdi", "rmaNumber", "email"), Map.of("failedUdi", UDI,
                    "replacementUdi", "PID:C1111-4P,SN:FGL2231ZZ9Z", "rmaNumber", "RMA-88421300", "email", EMAIL))),
            Map.entry("RehostCredentialBody", new Body(List.of("credential"), Map.of("credential", "NLDC1 ... (license save credential)"))),
            Map.entry("RehostRequest", new Body(List.of("credential", "licenseIds", "email"), Map.of("credential",
                    "NLDC1 ... (license save credential)", "licenseIds", List.of("LIC-8F3A2C19D04B"), "email", EMAIL))),
            Map.entry("RehostRehostTicketUpload", new Body(List.of("rehostTicket", "destinationUdi"), Map.of("rehostTicket",
                    "NLRT1 ... (license revoke on the source device)", "destinationUdi", "PID:C1111-4P,SN:FGL2231ZZ9Z"))),
            Map.entry("BulkFulfillmentSubmitRequest", new Body(List.of("pakCode", "rows"), Map.of("pakCode", "DEM0-C111-1000-0015",
                    "email", EMAIL, "rows", List.of(Map.of("udi", UDI, "sku", "FL-C1111-SEC-K9"),
                            Map.of("udi", "PID:C1111-4P,SN:FGL2231AB2D", "sku", "FL-C1111-SEC-K9"))))),
            Map.entry("BulkIntakeRowRequest", new Body(List.of("udi", "sku"), Map.of("udi", UDI, "sku", "FL-C1111-SEC-K9"))),
            Map.entry("ManufacturingIntakeOrderRequest", new Body(List.of("accountId", "reference"), Map.of("accountId", "demo",
                    "reference", "factory order 7", "pakCode", "DEM0-C111-1000-0015", "skus", List.of("FL-C1111-SEC-K9"), "udis",
                    List.of(UDI, "PID:C1111-4P,SN:FGL2231AB2D")))),
            Map.entry("ManufacturingIntakeDeviceRequest", new Body(List.of("udi", "skus"), Map.of("udi", UDI, "skus",
                    List.of("FL-C1111-SEC-K9")))),
            Map.entry("PakNewPak", new Body(List.of("accountId", "lines"), Map.of("accountId", "demo", "lines",
                    List.of(Map.of("sku", "FL-C1111-SEC-K9", "quantity", 10))))),
            Map.entry("DeviceBundleRequest", new Body(List.of("accountId", "udi", "reference"), Map.of("accountId", "demo", "udi", UDI,
                    "reference", "factory batch 42"))),
            Map.entry("DeviceShipmentRequest", new Body(List.of("accountId", "reference", "udis"), Map.of("accountId", "demo", "reference",
                    "SO-1001", "udis", List.of(UDI)))),
            Map.entry("DeviceReleaseRequest", new Body(List.of("udi", "toAccountId", "reason"), Map.of("udi", UDI, "toAccountId", "demo",
                    "reason", "claimed by mistake"))),
            Map.entry("AccountNewToken", new Body(List.of("name", "scope"), Map.of("name", "inventory sync", "scope", "read"))),
            Map.entry("AccountInvitation", new Body(List.of("email"), Map.of("email", "noc@acme.example", "role", "ACCOUNT_USER"))),
            Map.entry("AccountUserChange", new Body(List.of(), Map.of("role", "ACCOUNT_VIEWER"))),
            Map.entry("AccountsNewAccount", new Body(List.of("id", "displayName", "email"), Map.of("id", "globex", "displayName",
                    "Globex Networks", "email", "licensing@globex.example"))),
            Map.entry("AccountsInvitation", new Body(List.of("email"), Map.of("email", "admin@globex.example", "role", "ACCOUNT_ADMIN"))),
            Map.entry("AccountsSuspension", new Body(List.of(), Map.of("reason", "contract ended"))));

    private RequestExamples() {
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static void apply(Map<String, Schema> schemas) {
        BODIES.forEach((name, body) -> {
            Schema schema = schemas.get(name);
            if (schema == null) {
                return;
            }
            schema.setRequired(body.required().stream().filter(f -> schema.getProperties() != null && schema.getProperties().containsKey(f)).toList());
            schema.setExample(body.example());
        });
    }
}
