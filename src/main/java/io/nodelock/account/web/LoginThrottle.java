package io.nodelock.account.web;

import io.nodelock.api.ApiProblem;
import io.nodelock.api.Problems;
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
import org.springframework.http.HttpStatus;
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
        if (!isSignInAttempt(request)) {
            chain.doFilter(request, response);
            return;
        }
        String source = sourceOf(request);
        Instant now = clock.instant();
        // The attempt is counted before it runs and refunded if it succeeds, so a burst of parallel guesses cannot
        // all pass the check before the first failure is counted.
        Window counted = windows.compute(source, (key, w) -> w == null || !now.isBefore(w.start().plus(properties.window()))
                ? new Window(now, 1) : new Window(w.start(), w.failures() + 1));
        if (counted.failures() > properties.maxFailures()) {
            windows.computeIfPresent(source, (key, w) -> new Window(w.start(), Math.max(w.failures() - 1, properties.maxFailures())));
            long retryAfter = Math.max(1, counted.start().plus(properties.window()).getEpochSecond() - now.getEpochSecond());
            response.setHeader("Retry-After", Long.toString(retryAfter));
            Problems.write(response, new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "too-many-sign-in-failures",
                    "Too many failed sign-ins", "Too many failed sign-ins from this address; try again in " + retryAfter
                    + " seconds."), Problems.instance(request));
            return;
        }
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED;
        } finally {
            if (!failed) {
                windows.computeIfPresent(source, (key, w) -> w.failures() <= 1 ? null : new Window(w.start(), w.failures() - 1));
            } else if (counted.failures() == properties.maxFailures()) {
                log.warn("Sign-ins from {} refused for {} after {} failures", source, properties.window(), counted.failures());
            }
        }
        if (windows.size() > properties.maxSources()) {
            forget(now);
        }
    }

    /**
     * The remote address (behind a reverse proxy, configure {@code server.forward-headers-strategy} so that this is
     * the client's). An IPv6 client is counted by its /64 network, as one host can rotate through its whole /64.
     */
    static String sourceOf(HttpServletRequest request) {
        String address = request.getRemoteAddr();
        if (address != null && address.indexOf(':') >= 0) {
            try {
                byte[] bytes = java.net.InetAddress.getByName(address).getAddress();
                if (bytes.length == 16) {
                    return java.util.HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
                }
            } catch (java.net.UnknownHostException e) {
                return address;
            }
        }
        return address;
    }

    /** A request without credentials to the REST API is no failed sign-in: clients often ask once before sending them. */
    private static boolean isSignInAttempt(HttpServletRequest request) {
        return request.getHeader("Authorization") != null || request.getRequestURI().contains("/auth/user/");
    }

    /** Drops finished windows, then the oldest windows that block nobody; an address that is refused stays refused. */
    private void forget(Instant now) {
        windows.entrySet().removeIf(e -> !now.isBefore(e.getValue().start().plus(properties.window())));
        if (windows.size() > properties.maxSources()) {
            windows.entrySet().stream().filter(e -> e.getValue().failures() < properties.maxFailures())
                    .sorted(Comparator.comparing(e -> e.getValue().start())).limit(windows.size() - properties.maxSources())
                    .map(Map.Entry::getKey).toList().forEach(windows::remove);
        }
    }
}
