package io.nodelock.workflow;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Why a flow refuses a request or ends it as rejected: a stable code clients branch on, a message for the customer,
 * and the fields it concerns. One type for every flow and every place: the intake throws it (the API answers it as
 * problem details, with the HTTP status the flow's {@link FlowDeclaration} gives the code), and a step throws it (the
 * step runner ends the step with the flow's BPMN error, carrying the code and message as variables).
 *
 * @param code    upper snake case, e.g. {@code PAK_EXHAUSTED}; its kebab-case form is the problem type
 * @param message what the customer reads
 * @param errors  the fields concerned, each with its own message (may be empty)
 * @param details further properties of the problem document, e.g. the id of an earlier request
 */
public record Refusal(String code, String message, List<FieldError> errors, Map<String, Object> details) {

    /** The code of a request that is malformed: refused at once with 400 in every flow. */
    public static final String INVALID_REQUEST = "INVALID_REQUEST";

    public Refusal {
        errors = List.copyOf(errors);
        details = Map.copyOf(details);
    }

    /** A field the refusal concerns, with its own message. */
    public record FieldError(String field, String message) {
    }

    public static Refusal of(String code, String message) {
        return new Refusal(code, message, List.of(), Map.of());
    }

    public static Refusal of(String code, String field, String message) {
        return new Refusal(code, message, List.of(new FieldError(field, message)), Map.of());
    }

    /** A malformed request: one error per bad field. */
    public static Refusal invalid(List<FieldError> errors) {
        return new Refusal(INVALID_REQUEST, errors.size() == 1 ? errors.get(0).message()
                : errors.size() + " fields are invalid; see 'errors'.", errors, Map.of());
    }

    public Refusal with(String detail, Object value) {
        Map<String, Object> more = new java.util.HashMap<>(details);
        more.put(detail, value);
        return new Refusal(code, message, errors, more);
    }

    /** The problem type slug: the code in kebab case, e.g. {@code pak-exhausted}. */
    public String type() {
        return code.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
