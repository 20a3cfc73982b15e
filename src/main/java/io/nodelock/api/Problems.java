package io.nodelock.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * Problem documents written straight to the response, for the places that run outside Spring MVC's message
 * conversion (filters, the error controller, Tomcat's valve) or where conversion itself failed (an unacceptable
 * {@code Accept}): a problem must go out whatever the client asked for.
 */
public final class Problems {

    public static final String CONTENT_TYPE = "application/problem+json";
    /** Seconds a client should wait after a 503; about one pool timeout, after which the database may be back. */
    public static final int RETRY_AFTER_SECONDS = 5;

    // A private mapper: the application's one is strict about input and may be customised; this one only writes maps.
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    public static ApiProblem unavailable() {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service unavailable",
                "The service cannot reach its database right now. Retry after " + RETRY_AFTER_SECONDS + " seconds.");
    }

    public static ApiProblem internalError(String reference) {
        return new ApiProblem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "Something went wrong on our side. Quote reference " + reference + " to support.", List.of(),
                Map.of("reference", reference));
    }

    /**
     * A problem for a bare status, where nothing but the status is known (Tomcat refused the request before any
     * application code saw it, or a servlet called sendError).
     */
    public static ApiProblem forStatus(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        if (known == null || status >= 500) {
            return internalError(java.util.UUID.randomUUID().toString());
        }
        String detail = switch (status) {
            case 400 -> "The request could not be processed: its request line, path or headers are malformed or too large.";
            case 404 -> "There is nothing at this path.";
            case 405 -> "This method is not allowed here.";
            case 413, 414, 431 -> "The request is too large.";
            default -> known.getReasonPhrase() + ".";
        };
        String slug = known.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return new ApiProblem(known, slug, known.getReasonPhrase(), detail);
    }

    /** The JSON text of a problem; {@code instance} may be null (e.g. when the request line could not be parsed). */
    public static String json(ApiProblem problem, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ApiExceptionHandler.TYPE_BASE + problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status().value());
        body.put("detail", problem.getMessage());
        if (instance != null) {
            body.put("instance", instance);
        }
        if (!problem.fieldErrors().isEmpty()) {
            body.put("errors", problem.fieldErrors());
        }
        problem.properties().forEach(body::putIfAbsent);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces whatever the response holds with the problem, unless it is already on its way to the client. */
    public static void write(HttpServletResponse response, ApiProblem problem, String instance) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.status().value());
        if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        }
        response.setContentType(CONTENT_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json(problem, instance));
        response.flushBuffer();
    }

    /** The path of the request as received, or null when it is not something to echo back. */
    public static String instance(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return uri == null || uri.length() > 2000 || !isPrintableAscii(uri) ? null : uri;
    }

    /**
     * Names of the headers whose name or value is not printable ASCII: what the firewall refuses, looked up on the
     * unwrapped request because the firewalled one throws on exactly those headers.
     */
    public static List<String> unprintableHeaders(HttpServletRequest request) {
        ServletRequest raw = request;
        while (raw instanceof ServletRequestWrapper wrapper) {
            raw = wrapper.getRequest();
        }
        List<String> names = new ArrayList<>();
        if (raw instanceof HttpServletRequest http && http.getHeaderNames() != null) {
            for (String name : Collections.list(http.getHeaderNames())) {
                boolean bad = !isPrintableAscii(name);
                for (String value : Collections.list(http.getHeaders(name))) {
                    bad |= !isPrintableAscii(value.replace('\t', ' '));
                }
                if (bad && isPrintableAscii(name)) {
                    names.add(canonical(name));
                } else if (bad) {
                    names.add("(a header with a non-ASCII name)");
                }
            }
        }
        return names;
    }

    /** Tomcat lower-cases header names; answers name them as documented, e.g. Idempotency-Key. */
    private static String canonical(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            sb.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '-';
        }
        return sb.toString();
    }

    public static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
