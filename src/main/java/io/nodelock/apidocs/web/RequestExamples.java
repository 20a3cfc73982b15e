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

    private static final Map<String, Body> BODIES = Map.of(
            "FulfillmentSubmitRequest", new Body(List.of("pakCode", "sku", "udi", "email"), Map.of("pakCode", "DEM0-C111-1000-0015",
                    "sku", "FL-C1111-SEC-K9", "udi", "PID:C1111-4P,SN:FGL2231AB1C", "email", "netops@acme.example", "eulaAccepted", true)),
            "ResendSubmitRequest", new Body(List.of("udi"), Map.of("udi", "PID:C1111-4P,SN:FGL2231AB1C")),
            "ExtensionExtendRequest", new Body(List.of("days", "email", "eulaAccepted"), Map.of("days", 30, "reason", "Lab tests run longer",
                    "email", "netops@acme.example", "eulaAccepted", true)),
            "ExtensionSubmitRequest", new Body(List.of("udi", "feature", "days", "email", "eulaAccepted"), Map.of("udi",
                    "PID:ISR4331/K9,SN:FDO2231AB1C", "feature", "appxk9", "days", 30, "reason", "Lab tests run longer", "email",
                    "netops@acme.example", "eulaAccepted", true)),
            "DeviceBundleRequest", new Body(List.of("accountId", "udi", "reference"), Map.of("accountId", "demo", "udi",
                    "PID:C1111-4P,SN:FGL2231AB1C", "reference", "factory batch 42")),
            "DeviceShipmentRequest", new Body(List.of("accountId", "reference", "udis"), Map.of("accountId", "demo", "reference",
                    "SO-1001", "udis", List.of("PID:C1111-4P,SN:FGL2231AB1C"))),
            "DeviceReleaseRequest", new Body(List.of("udi", "toAccountId", "reason"), Map.of("udi", "PID:C1111-4P,SN:FGL2231AB1C",
                    "toAccountId", "demo", "reason", "claimed by mistake")));

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
