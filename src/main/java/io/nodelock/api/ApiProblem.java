package io.nodelock.api;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * An error a caller can act on. {@code type} is a stable slug (documented under /problems/{type}) so clients can
 * branch on it; {@code fieldErrors} names each bad field with its own message.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String title;
    private final List<FieldError> fieldErrors;
    private final Map<String, Object> properties;

    public ApiProblem(HttpStatus status, String type, String title, String detail) {
        this(status, type, title, detail, List.of(), Map.of());
    }

    public ApiProblem(HttpStatus status, String type, String title, String detail, List<FieldError> fieldErrors,
                      Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.fieldErrors = List.copyOf(fieldErrors);
        this.properties = Map.copyOf(properties);
    }

    public static ApiProblem notFound(String what, String id) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "not-found", what + " not found",
                what + " '" + id + "' does not exist or is not visible to your account.");
    }

    /** A request's license file asked for before it exists (the request is not issued, or was refused): 409. */
    public static ApiProblem licenseNotIssued(String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, "license-not-issued", "No license file", detail);
    }

    public static ApiProblem invalid(List<FieldError> errors) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                errors.size() == 1 ? errors.get(0).message() : errors.size() + " fields are invalid; see 'errors'.",
                errors, Map.of());
    }

    public static ApiProblem invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    public record FieldError(String field, String message) {
    }
}
