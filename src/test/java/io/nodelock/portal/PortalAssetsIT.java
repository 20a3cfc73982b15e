package io.nodelock.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.support.ServiceIT;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What the portal's pages load besides the API: the form-js viewer the build fetched from the npm registry (served
 * from the jar, the version the pages name) and the customer forms of {@code forms/} (only those, only signed in).
 */
class PortalAssetsIT extends ServiceIT {

    /** Passed by the pom (failsafe): the version the build unpacked. */
    private static final String FORM_JS = System.getProperty("form-js.version", "1.23.0");

    @Test
    void theFormJsViewerIsServedFromTheJarInTheVersionThePagesName() throws Exception {
        String base = "/portal/vendor/form-js/" + FORM_JS + "/";
        Response viewer = get(base + "form-viewer.umd.js", null);
        assertThat(viewer.status()).isEqualTo(200);
        assertThat(viewer.headers().firstValue("Content-Type").orElse("")).contains("javascript");
        assertThat(viewer.raw()).contains("global.FormViewer").contains("importSchema");
        for (String css : new String[] {"assets/form-js.css", "assets/form-js-base.css", "assets/flatpickr/light.css"}) {
            Response sheet = get(base + css, null);
            assertThat(sheet.status()).as(css).isEqualTo(200);
            assertThat(sheet.headers().firstValue("Content-Type").orElse("")).as(css).startsWith("text/css");
        }
        // The package's own record of what it is, and its licence, travel with it.
        Response manifest = get(base + "package.json", null);
        assertThat(manifest.status()).isEqualTo(200);
        assertThat(manifest.body().path("name").asText()).isEqualTo("@bpmn-io/form-js");
        assertThat(manifest.body().path("version").asText()).isEqualTo(FORM_JS);
        Response license = get(base + "LICENSE", null);
        assertThat(license.status()).isEqualTo(200);
        assertThat(license.raw()).contains("bpmn.io");

        SignedIn session = signIn();
        HttpResponse<String> page = session.get("/portal/form.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("vendor/form-js/" + FORM_JS + "/form-viewer.umd.js")
                .contains("vendor/form-js/" + FORM_JS + "/assets/form-js.css");
    }

    @Test
    void everyCustomerFormLoadsAsItIsInTheFormsFolderAndNothingElseDoes() throws Exception {
        SignedIn session = signIn();
        for (String id : PortalForms.IDS) {
            HttpResponse<String> form = session.get("/portal/forms/" + id);
            assertThat(form.statusCode()).as(id).isEqualTo(200);
            assertThat(form.headers().firstValue("Content-Type").orElse("")).as(id).startsWith("application/json");
            assertThat(form.body()).as(id).isEqualTo(Files.readString(Path.of("forms", id + ".form")));
            JsonNode schema = JSON.readTree(form.body());
            assertThat(schema.path("id").asText()).isEqualTo(id);
            assertThat(schema.path("schemaVersion").asInt()).as("form-js %s renders schema versions up to 19", FORM_JS).isBetween(1, 19);
        }
        // Staff forms are Tasklist's; names that are no form are no form.
        for (String other : new String[] {"rma-review", "extension-approval", "nope", "..%2Fapplication.yml"}) {
            assertThat(session.get("/portal/forms/" + other).statusCode()).as(other).isIn(400, 404);
        }
        // Without a session the forms, like the pages, send the browser to sign in.
        HttpResponse<String> anonymous = new SignedIn(port, HttpClient.newBuilder().cookieHandler(new CookieManager()).build())
                .get("/portal/forms/pak-registration");
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElse("")).endsWith("/portal/login");
    }

    @Test
    void thePortalsAddressShowsTheDashboardToASignedInUserAndSignInToOthers() throws Exception {
        SignedIn anonymous = new SignedIn(port, HttpClient.newBuilder().cookieHandler(new CookieManager()).build());
        HttpResponse<String> bare = anonymous.get("/portal/");
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location").orElse("")).endsWith("/portal/login");

        HttpResponse<String> dashboard = signIn().get("/portal/");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("<h1>Dashboard</h1>").contains("assets/pages/dashboard.js");
    }

    private SignedIn signIn() throws Exception {
        PortalUser user = newPortalUser(newCustomer(), "ACCOUNT_USER");
        CookieManager cookies = new CookieManager();
        SignedIn session = new SignedIn(port, HttpClient.newBuilder().cookieHandler(cookies).build());
        session.get("/portal/login");
        String csrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue).findFirst().orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie from the sign-in page"));
        String form = "username=" + URLEncoder.encode(user.email(), StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(user.password(), StandardCharsets.UTF_8) + "&_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8);
        HttpResponse<String> signedIn = session.http.send(HttpRequest.newBuilder(session.uri("/portal/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElse("")).endsWith("/portal/");
        return session;
    }

    /** A browser's session without the browser: a cookie jar, redirects not followed. */
    private record SignedIn(int port, HttpClient http) {

        URI uri(String path) {
            return URI.create("http://localhost:" + port + path);
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
