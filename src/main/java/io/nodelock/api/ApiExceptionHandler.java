package io.nodelock.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.security.web.firewall.RequestRejectedException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.nodelock.workflow.Refusal;
import io.nodelock.workflow.RefusedException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Turns every error of the REST API into RFC 9457 problem details; no input may surface as a bare 500. */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    public static final String TYPE_BASE = "https://nodelock.io/problems/";

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem, HttpServletRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
        body.setType(URI.create(TYPE_BASE + problem.type()));
        body.setTitle(problem.title());
        body.setInstance(URI.create(request.getRequestURI()));
        if (!problem.fieldErrors().isEmpty()) {
            body.setProperty("errors", problem.fieldErrors());
        }
        problem.properties().forEach(body::setProperty);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.status());
        if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            response.header(HttpHeaders.RETRY_AFTER, Integer.toString(Problems.RETRY_AFTER_SECONDS));
        }
        return deliverable(response.body(body), request);
    }

    /**
     * A flow's refusal: its code in kebab case is the problem type, the flow's declaration gives its HTTP status and
     * title, its field errors and details become properties, and the code itself is one too.
     */
    @ExceptionHandler(RefusedException.class)
    ResponseEntity<ProblemDetail> refused(RefusedException refused, HttpServletRequest request) {
        Refusal refusal = refused.refusal();
        HttpStatus status = HttpStatus.valueOf(refused.flow().refusals().statusOf(refusal.code()));
        Map<String, Object> properties = new LinkedHashMap<>(refusal.details());
        properties.put("code", refusal.code());
        String title = Refusal.INVALID_REQUEST.equals(refusal.code()) ? "Invalid request" : refused.flow().refusals().title();
        return apiProblem(new ApiProblem(status, refusal.type(), title, refusal.message(), refusal.errors().stream()
                .map(e -> new ApiProblem.FieldError(e.field(), e.message())).toList(), properties), request);
    }

    /**
     * The answer as is, or null once written directly: with an Accept header that does not parse, Spring cannot pick
     * a converter and would send the error status with an empty body.
     */
    private static <T> ResponseEntity<T> deliverable(ResponseEntity<T> entity, HttpServletRequest request) {
        if (acceptParses(request) || !(entity.getBody() instanceof ProblemDetail problem)) {
            return entity;
        }
        HttpServletResponse response = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getResponse();
        if (response == null || response.isCommitted()) {
            return entity;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", String.valueOf(problem.getType()));
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            body.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            problem.getProperties().forEach(body::putIfAbsent);
        }
        try {
            response.resetBuffer();
            response.setStatus(entity.getStatusCode().value());
            entity.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
            response.setContentType(Problems.CONTENT_TYPE);
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(DIRECT_JSON.writeValueAsString(body));
            response.flushBuffer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return null;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper DIRECT_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static boolean acceptParses(HttpServletRequest request) {
        try {
            MediaType.parseMediaTypes(Collections.list(request.getHeaders(HttpHeaders.ACCEPT)));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Spring Security's firewall, raised when a controller reads a header it refuses (control or non-ASCII bytes). */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException e, HttpServletRequest request) {
        return apiProblem(rejection(request), request);
    }

    /** The 400 for a request the firewall refused, naming the offending headers when there are any. */
    public static ApiProblem rejection(HttpServletRequest request) {
        List<String> headers = Problems.unprintableHeaders(request);
        if (headers.isEmpty()) {
            return new ApiProblem(HttpStatus.BAD_REQUEST, "rejected-request", "Rejected request",
                    "The request was refused: its path or a header holds characters or sequences that are not allowed "
                            + "(encoded slashes, backslashes, dots, semicolons, control characters).");
        }
        return ApiProblem.invalid(headers.stream().map(h -> new ApiProblem.FieldError(h,
                h + " must be printable ASCII")).toList());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> accessDenied(AccessDeniedException e, HttpServletRequest request) {
        return apiProblem(new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                "Your account is not allowed to do this."), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (Unavailable.isDatabaseUnavailable(e)) {
            log.warn("Database unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
            return apiProblem(Problems.unavailable(), request);
        }
        // Callers get a reference to quote to support, never internals.
        String reference = java.util.UUID.randomUUID().toString();
        log.error("Unexpected error {} on {} {}", reference, request.getMethod(), request.getRequestURI(), e);
        return apiProblem(Problems.internalError(reference), request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        ex.getBindingResult().getFieldErrors().forEach(f -> errors.add(new ApiProblem.FieldError(f.getField(),
                f.getField() + " " + f.getDefaultMessage())));
        ex.getBindingResult().getGlobalErrors().forEach(g -> errors.add(new ApiProblem.FieldError(g.getObjectName(), g.getDefaultMessage())));
        return problemResponse(ApiProblem.invalid(errors), request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(r -> r.getResolvableErrors().forEach(e ->
                errors.add(new ApiProblem.FieldError(r.getMethodParameter().getParameterName(), e.getDefaultMessage()))));
        return problemResponse(ApiProblem.invalid(errors), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        String detail = "The request body is not valid JSON of the expected shape";
        Throwable cause = ex.getMostSpecificCause();
        if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = path(mismatch.getPath());
            boolean nul = mismatch instanceof InvalidFormatException f && f.getValue() instanceof String v && v.indexOf('\0') >= 0;
            return problemResponse(ApiProblem.invalid(field, field + " "
                    + (nul ? "must not contain NUL characters" : expectation(mismatch.getTargetType()))), request);
        }
        if (cause instanceof StreamReadException read) {
            Matcher duplicate = DUPLICATE_FIELD.matcher(String.valueOf(read.getOriginalMessage()));
            if (duplicate.matches()) {
                String field = duplicateField(read, duplicate.group(1));
                return problemResponse(ApiProblem.invalid(field, field + " appears more than once; send each field once"), request);
            }
        }
        if (cause instanceof JsonProcessingException json && json.getLocation() != null) {
            detail += " (line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ")";
        }
        return problemResponse(new ApiProblem(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body", detail + "."), request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status,
                                                        WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
        name = name == null ? "parameter" : name;
        return problemResponse(ApiProblem.invalid(name, name + " " + expectation(ex.getRequiredType())), request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
                                                                          HttpHeaders headers, HttpStatusCode status,
                                                                          WebRequest request) {
        return problemResponse(ApiProblem.invalid(ex.getParameterName(), ex.getParameterName() + " is required"), request);
    }

    /**
     * The client accepts nothing this endpoint produces, problem+json included, so message conversion would leave the
     * body empty: the problem is written directly, whatever the Accept header said.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException ex, HttpHeaders headers,
                                                                      HttpStatusCode status, WebRequest request) {
        ServletWebRequest servlet = (ServletWebRequest) request;
        try {
            Problems.write(servlet.getResponse(), new ApiProblem(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable",
                    "This resource can be sent as " + ex.getSupportedMediaTypes() + "; the Accept header allows none of them."),
                    Problems.instance(servlet.getRequest()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return null;
    }

    private static final Pattern DUPLICATE_FIELD = Pattern.compile("Duplicate field '(.*)'", Pattern.DOTALL);

    /** The duplicated key with the path of the object holding it, e.g. {@code lines[0].quantity}. */
    private static String duplicateField(StreamReadException read, String name) {
        JsonParser parser = read.getProcessor();
        if (parser != null) {
            String parent = pointerPath(parser.getParsingContext());
            return parent.isEmpty() ? name : parent + "." + name;
        }
        return name;
    }

    private static String pointerPath(JsonStreamContext context) {
        java.util.Deque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            JsonStreamContext parent = c.getParent();
            if (parent != null && parent.inArray()) {
                parts.push("[" + parent.getCurrentIndex() + "]");
            } else if (parent != null && parent.inObject() && parent.getCurrentName() != null) {
                parts.push("." + parent.getCurrentName());
            }
        }
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }

    private static String path(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() == null) {
                sb.append('[').append(r.getIndex()).append(']');
            } else {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    private static String expectation(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "must be a whole number in range";
        }
        if (Number.class.isAssignableFrom(type)) {
            return "must be a number";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be an array";
        }
        return "has the wrong type";
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
                                                          WebRequest request) {
        if (body instanceof ProblemDetail problem && problem.getType() != null && "about:blank".equals(problem.getType().toString())) {
            problem.setType(URI.create(TYPE_BASE + slug(statusCode)));
        }
        return deliverable(super.createResponseEntity(body, headers, statusCode, request),
                ((ServletWebRequest) request).getRequest());
    }

    private ResponseEntity<Object> problemResponse(ApiProblem problem, WebRequest request) {
        HttpServletRequest servlet = ((ServletWebRequest) request).getRequest();
        ResponseEntity<ProblemDetail> response = apiProblem(problem, servlet);
        return response == null ? null : ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .body(response.getBody());
    }

    private static String slug(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "http-" + status.value() : known.name().toLowerCase().replace('_', '-');
    }
}
