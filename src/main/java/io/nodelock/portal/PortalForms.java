package io.nodelock.portal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The Camunda Forms of {@code forms/} that customers fill in in the portal: the same files the engine deploys and
 * Tasklist renders. Staff forms (reviews, approvals) are not among them. Loaded once at start, so a form missing from
 * the build stops the start instead of failing in a customer's browser.
 */
@Component
public class PortalForms {

    /** Form ids (= file names in {@code forms/}), in the order the portal offers them. */
    public static final List<String> IDS = List.of("pak-registration", "evaluation-request", "extension-request",
            "license-migration", "rma-request", "rehost-request", "rehost-ticket-upload", "resend-request");

    private final Map<String, String> forms = new LinkedHashMap<>();

    public PortalForms() {
        for (String id : IDS) {
            ClassPathResource resource = new ClassPathResource("forms/" + id + ".form");
            try (InputStream in = resource.getInputStream()) {
                forms.put(id, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("The portal's form " + resource.getPath() + " is not on the classpath", e);
            }
        }
    }

    /** The form's JSON (form-js schema) exactly as in {@code forms/}; empty for any id not offered to customers. */
    public Optional<String> schema(String id) {
        return Optional.ofNullable(forms.get(id));
    }
}
