package io.nodelock.account.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits failed staff sign-ins per source address. The engine's own lockout is per user and only delays (never
 * locks for good, see application.yml); without a limit per source, anyone could keep a known user name (they are
 * in the README) delayed, or guess passwords at the engine's pace. An address with too many failures gets 429
 * problem details with {@code Retry-After} until its window ends, whatever it sends.
 */
class LoginThrottle extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private final LoginThrottleProperties properties;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    LoginThrottle(LoginThrottleProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    private record Window(Instant start, int failures) {
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String source = request.getRemoteAddr();
        Instant now = clock.instant();
        Window window = windows.get(source);
        if (window != null && window.failures() >= properties.maxFailures() && now.isBefore(window.start().plus(properties.window()))) {
            long retryAfter = Math.max(1, window.start().plus(properties.window()).getEpochSecond() - now.getEpochSecond());
            response.setStatus(429);
            response.setHeader("Retry-After", Long.toString(retryAfter));
            response.setContentType("application/problem+json");
            response.getWriter().write("""
                    {"type":"https://nodelock.io/problems/too-many-sign-in-failures","title":"Too many failed sign-ins",\
                    "status":429,"detail":"Too many failed sign-ins from this address; try again in %d seconds."}""".formatted(retryAfter));
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED && isSignInAttempt(request)) {
            Window counted = windows.compute(source, (key, w) -> w == null || !now.isBefore(w.start().plus(properties.window()))
                    ? new Window(now, 1) : new Window(w.start(), w.failures() + 1));
            if (counted.failures() == properties.maxFailures()) {
                log.warn("Sign-ins from {} refused for {} after {} failures", source, properties.window(), counted.failures());
            }
            if (windows.size() > properties.maxSources()) {
                forgetOldest();
            }
        }
    }

    /** A request without credentials to the REST API is no failed sign-in: clients often ask once before sending them. */
    private static boolean isSignInAttempt(HttpServletRequest request) {
        return request.getHeader("Authorization") != null || request.getRequestURI().contains("/auth/user/");
    }

    private void forgetOldest() {
        Instant cutoff = clock.instant().minus(properties.window());
        windows.entrySet().removeIf(e -> e.getValue().start().isBefore(cutoff));
        while (windows.size() > properties.maxSources()) {
            windows.entrySet().stream().min(Comparator.comparing(e -> e.getValue().start()))
                    .ifPresent(e -> windows.remove(e.getKey()));
        }
    }
}
