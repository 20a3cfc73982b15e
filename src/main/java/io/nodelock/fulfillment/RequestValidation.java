package io.nodelock.fulfillment;

import io.nodelock.workflow.Refusal.FieldError;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.catalogue.EulaText;
import io.nodelock.eula.EulaConsents;
import io.nodelock.catalogue.Sku;
import io.nodelock.licensefile.Udi;
import io.nodelock.licensefile.UdiSyntaxException;
import io.nodelock.pak.PakCode;
import io.nodelock.pak.PakCodeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a request's form before anything is stored: every bad field gets its own message. The same checks guard
 * every intake (the API now, the portal later), so all refuse the same things in the same words.
 */
final class RequestValidation {

    // Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is proven by the mail itself.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

    private RequestValidation() {
    }

    static List<FieldError> validate(FulfillmentRequest request, Catalogue catalogue) {
        List<FieldError> errors = new ArrayList<>();
        try {
            PakCode.parse(request.pakCode());
        } catch (PakCodeException e) {
            errors.add(new FieldError("pakCode", e.getMessage()));
        }
        if (request.udi() == null || request.udi().isBlank()) {
            errors.add(new FieldError("udi", "UDI is missing: enter it as PID:<product id>,SN:<serial number>"));
        } else {
            try {
                Udi.parse(request.udi());
            } catch (UdiSyntaxException e) {
                errors.add(new FieldError("udi", e.getMessage()));
            }
        }
        Optional<Sku> sku = Optional.empty();
        if (request.sku() == null || request.sku().isBlank()) {
            errors.add(new FieldError("sku", "SKU is missing: choose one of the SKUs on your PAK"));
        } else {
            sku = catalogue.sku(request.sku());
            if (sku.isEmpty()) {
                errors.add(new FieldError("sku", "SKU '" + request.sku() + "' is not in the catalogue (revision "
                        + catalogue.revision() + ")"));
            }
        }
        if (request.email() == null || request.email().length() > 320 || !EMAIL.matcher(request.email()).matches()) {
            errors.add(new FieldError("email", "email must be an address like name@example.com"));
        }
        if (sku.isPresent() && sku.get().eulaRequired() && !request.eula()) {
            // the catalogue has a EULA whenever a SKU requires one (its checks refuse a file without)
            String version = catalogue.currentEula().map(EulaText::version).orElse("?");
            errors.add(new FieldError("eulaAccepted", "SKU " + sku.get().id() + " is " + article(sku.get().type().wireName())
                    + " license: accept the end-user license agreement (eulaAccepted: true) to receive it; read version "
                    + version + " at " + EulaConsents.TEXT_PATH + version));
        }
        return errors;
    }

    private static String article(String word) {
        return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
    }
}
