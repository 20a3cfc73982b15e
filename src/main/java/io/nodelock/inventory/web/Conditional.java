package io.nodelock.inventory.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Conditional GET for the inventory's answers. The ETag is a weak validator over the answer's JSON: any change to what
 * the answer shows (a status, a count, the next cursor) changes it, and equal answers share it. A request whose
 * {@code If-None-Match} holds it is answered 304 without a body. The answer may be kept by the caller's own cache only
 * ({@code private}) and is revalidated every time ({@code no-cache}), so a poller pays for a body only when something
 * changed.
 */
@Component
class Conditional {

    private static final Pattern ENTITY_TAG = Pattern.compile("\\s*(\\*|(?:W/)?\"([^\"]*)\")\\s*(?:,|$)");
    private static final CacheControl CACHE = CacheControl.noCache().cachePrivate();

    private final ObjectMapper json;

    Conditional(ObjectMapper json) {
        this.json = json;
    }

    <T> ResponseEntity<T> answer(T body, HttpServletRequest request) {
        String tag = tagOf(body);
        if (matches(request, tag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(tag).cacheControl(CACHE)
                    .varyBy(HttpHeaders.AUTHORIZATION, HttpHeaders.COOKIE).build();
        }
        return ResponseEntity.ok().eTag(tag).cacheControl(CACHE).varyBy(HttpHeaders.AUTHORIZATION, HttpHeaders.COOKIE).body(body);
    }

    String tagOf(Object body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(body));
            return "W/\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 18)) + "\"";
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Weak comparison (RFC 9110, 13.1.2): the opaque tags match whether or not either is weak; {@code *} matches any. */
    static boolean matches(HttpServletRequest request, String tag) {
        String opaque = tag.substring(tag.indexOf('"') + 1, tag.length() - 1);
        for (String header : Collections.list(request.getHeaders(HttpHeaders.IF_NONE_MATCH))) {
            int at = 0;
            Matcher m = ENTITY_TAG.matcher(header);
            while (at < header.length() && m.find(at) && m.start() == at) {
                if (m.group(1).equals("*") || opaque.equals(m.group(2))) {
                    return true;
                }
                at = m.end();
            }
        }
        return false;
    }
}
