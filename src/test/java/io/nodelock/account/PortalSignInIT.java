package io.nodelock.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMailUtil;
import io.nodelock.support.ServiceIT;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.operaton.bpm.engine.IdentityService;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The portal's sign-in over HTTP, as a browser does it: a session cookie, CSRF on every write, temporary locks,
 * invitations and password resets by mail, viewers and read tokens that only read, suspension, sign-out; and no
 * customer ever becomes an engine user.
 */
class PortalSignInIT extends ServiceIT {

    @Autowired
    SignInGuard guard;

    @Autowired
    IdentityService identities;

    /** One browser: its own cookies, redirects not followed so each answer can be checked. */
    final class Browser {
        final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();

        Response send(HttpRequest.Builder request) {
            try {
                HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode body = r.headers().firstValue("Content-Type").orElse("").contains("json") && !r.body().isEmpty()
                        ? JSON.readTree(r.body()) : null;
                return new Response(r.statusCode(), body, r.headers(), r.body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        HttpRequest.Builder at(String path) {
            return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        }

        String csrf() {
            Optional<HttpCookie> cookie = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN")).findFirst();
            if (cookie.isEmpty()) {
                send(at("/portal/login").GET());
                cookie = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN")).findFirst();
            }
            return cookie.orElseThrow().getValue();
        }

        /** The sign-in form's POST; answers where it redirects. */
        String signIn(String email, String password) {
            String form = "username=" + enc(email) + "&password=" + enc(password) + "&_csrf=" + enc(csrf());
            Response r = send(at("/portal/login").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
            assertThat(r.status()).as(r.raw()).isEqualTo(302);
            return r.headers().firstValue("Location").orElseThrow();
        }

        Response get(String path) {
            return send(at(path).GET());
        }

        Response postJson(String path, String json, boolean withCsrf) {
            HttpRequest.Builder b = at(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
            if (withCsrf) {
                b.header("X-XSRF-TOKEN", csrf());
            }
            return send(b);
        }
    }

    @Test
    void aPersonSignsInAndTheSessionCarriesTheApiWithCsrfOnEveryWriteUntilSignOut() {
        TestAccount account = newCustomer();
        PortalUser admin = newPortalUser(account, "ACCOUNT_ADMIN");
        Browser browser = new Browser();
        assertThat(browser.get("/portal/").status()).as("pages need a sign-in").isEqualTo(302);
        assertThat(browser.get("/portal/login").raw()).contains("<form id=\"sign-in\"");

        assertThat(browser.signIn(admin.email(), "not the password")).endsWith("/portal/login?error=bad");
        assertThat(browser.signIn(admin.email().toUpperCase(), admin.password())).endsWith("/portal/");
        JsonNode me = browser.get("/api/v1/me").body();
        assertThat(me.path("user").path("email").asText()).isEqualTo(admin.email());
        assertThat(me.path("user").path("role").asText()).isEqualTo("ACCOUNT_ADMIN");
        assertThat(me.path("account").path("id").asText()).isEqualTo(account.id());
        assertThat(me.path("via").asText()).isEqualTo("session");

        // A write that rides on the session cookie needs the CSRF header; a token call never does.
        Response withoutCsrf = browser.postJson("/api/v1/resends", "{\"udi\":\"PID:C1111-4P,SN:FGL0000001\"}", false);
        assertThat(withoutCsrf.status()).isEqualTo(403);
        assertThat(withoutCsrf.body().path("type").asText()).endsWith("/csrf");
        Response withCsrf = browser.postJson("/api/v1/resends", "{\"udi\":\"PID:C1111-4P,SN:FGL0000001\"}", true);
        assertThat(withCsrf.status()).as("past CSRF, the intake answers").isEqualTo(404);
        assertThat(withCsrf.body().path("type").asText()).endsWith("/unknown-udi");

        Response signOut = browser.send(browser.at("/portal/logout").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + enc(browser.csrf()))));
        assertThat(signOut.headers().firstValue("Location").orElseThrow()).endsWith("/portal/login?logout");
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void twentyWrongPasswordsLockThatNameFromThatAddressForAWhileOnlyAndNeverElsewhere() {
        TestAccount account = newCustomer();
        PortalUser user = newPortalUser(account, "ACCOUNT_USER");
        Browser browser = new Browser();
        for (int i = 1; i < 20; i++) {
            assertThat(browser.signIn(user.email(), "wrong " + i)).endsWith("error=bad");
        }
        assertThat(browser.signIn(user.email(), "wrong 20")).endsWith("error=locked");
        assertThat(browser.signIn(user.email(), user.password())).as("locked, even with the right password").endsWith("error=locked");
        Instant until = jdbc.queryForObject("select locked_until from sign_in_failure where email = ?", java.sql.Timestamp.class,
                user.email()).toInstant();
        assertThat(until).isBetween(Instant.now().plus(Duration.ofMinutes(14)), Instant.now().plus(Duration.ofMinutes(16)));
        // Attempts while locked do not stretch the lock.
        assertThat(jdbc.queryForObject("select locked_until from sign_in_failure where email = ?", java.sql.Timestamp.class,
                user.email()).toInstant()).isEqualTo(until);
        // Another address is not locked: a stranger cannot lock a person out where they sign in.
        assertThat(guard.lockedUntil(user.email(), "192.0.2.7")).isEmpty();

        // When the lock has run out, the right password works, and the count starts afresh.
        jdbc.update("update sign_in_failure set locked_until = ? where email = ?", java.sql.Timestamp.from(Instant.now().minusSeconds(1)),
                user.email());
        assertThat(browser.signIn(user.email(), user.password())).endsWith("/portal/");
        assertThat(jdbc.queryForObject("select count(*) from sign_in_failure where email = ?", Integer.class, user.email())).isZero();

        // Unknown names are counted the same way, so the lock says nothing about who exists.
        for (int i = 0; i < 19; i++) {
            guard.failed("nobody-" + account.id() + "@example.com", "198.51.100.1");
        }
        assertThat(guard.failed("nobody-" + account.id() + "@example.com", "198.51.100.1")).isPresent();
    }

    @Test
    void anOperatorCreatesAnAccountAndInvitesItsAdminWhoSignsUpByTheMailedLinkAndNeverBecomesAnEngineUser() throws Exception {
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        String id = "cust-" + randomSerial().toLowerCase();
        Response created = post("/api/v1/accounts", operator.token(), """
                {"id":"%s","displayName":"Globex Corp","email":"licensing@%s.example"}""".formatted(id, id));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(post("/api/v1/accounts", operator.token(), """
                {"id":"%s","displayName":"Again","email":"x@y.example"}""".formatted(id)).status()).isEqualTo(409);
        assertThat(post("/api/v1/accounts", newCustomer().token(), """
                {"id":"other-%s","displayName":"Sneaky","email":"x@y.example"}""".formatted(id)).status()).isEqualTo(403);

        String email = "admin@" + id + ".example";
        Response invited = post("/api/v1/accounts/" + id + "/invitations", operator.token(), "{\"email\":\"" + email + "\"}");
        assertThat(invited.status()).as(invited.raw()).isEqualTo(201);
        assertThat(invited.body().path("role").asText()).isEqualTo("ACCOUNT_ADMIN");
        String token = linkToken(email, "invitation");

        Browser browser = new Browser();
        Response weak = browser.postJson("/portal/api/invitation", "{\"token\":\"" + token + "\",\"password\":\"short\"}", true);
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.body().path("errors").get(0).path("field").asText()).isEqualTo("password");
        String password = "correct horse battery staple";
        assertThat(browser.postJson("/portal/api/invitation", "{\"token\":\"" + token + "\",\"displayName\":\"Grace\",\"password\":\""
                + password + "\"}", true).status()).isEqualTo(200);
        Response again = browser.postJson("/portal/api/invitation", "{\"token\":\"" + token + "\",\"password\":\"" + password + "\"}", true);
        assertThat(again.status()).as("the link works once").isEqualTo(400);
        assertThat(again.body().path("code").asText()).isEqualTo("LINK_INVALID");

        assertThat(browser.signIn(email, password)).endsWith("/portal/");
        assertThat(browser.get("/api/v1/me").body().path("user").path("displayName").asText()).isEqualTo("Grace");
        // Customers never hold engine identities: nothing in the engine knows this person.
        assertThat(identities.createUserQuery().userEmail(email).count()).isZero();
        assertThat(identities.createUserQuery().userId(email).count()).isZero();
    }

    @Test
    void aPasswordResetWorksOnceByTheMailedLinkAndTellsNobodyWhichAddressesExist() throws Exception {
        TestAccount account = newCustomer();
        PortalUser user = newPortalUser(account, "ACCOUNT_USER");
        Browser browser = new Browser();
        Response unknown = browser.postJson("/portal/api/password-reset", "{\"email\":\"nobody-" + account.id() + "@example.com\"}", true);
        Response known = browser.postJson("/portal/api/password-reset", "{\"email\":\"" + user.email() + "\"}", true);
        assertThat(unknown.status()).isEqualTo(202);
        assertThat(known.status()).isEqualTo(202);
        assertThat(unknown.raw()).isEqualTo(known.raw());

        String token = linkToken(user.email(), "reset");
        String fresh = "a brand new passphrase";
        assertThat(browser.postJson("/portal/api/password", "{\"token\":\"" + token + "\",\"password\":\"" + fresh + "\"}", true).status())
                .isEqualTo(200);
        assertThat(browser.postJson("/portal/api/password", "{\"token\":\"" + token + "\",\"password\":\"" + fresh + "!\"}", true).status())
                .isEqualTo(400);
        assertThat(new Browser().signIn(user.email(), user.password())).endsWith("error=bad");
        assertThat(new Browser().signIn(user.email(), fresh)).endsWith("/portal/");
    }

    @Test
    void viewersAndReadTokensOnlyReadAndTokensAreShownOnceAndRevocable() {
        TestAccount account = newCustomer();
        PortalUser viewer = newPortalUser(account, "ACCOUNT_VIEWER");
        Browser asViewer = new Browser();
        asViewer.signIn(viewer.email(), viewer.password());
        assertThat(asViewer.get("/api/v1/me").status()).isEqualTo(200);
        Response refused = asViewer.postJson("/api/v1/resends", "{\"udi\":\"PID:C1111-4P,SN:FGL0000001\"}", true);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().path("type").asText()).endsWith("/read-only");

        PortalUser user = newPortalUser(account, "ACCOUNT_USER");
        Browser asUser = new Browser();
        asUser.signIn(user.email(), user.password());
        Response issued = asUser.postJson("/api/v1/account/tokens", "{\"name\":\"monitoring\",\"scope\":\"read\"}", true);
        assertThat(issued.status()).as(issued.raw()).isEqualTo(201);
        String token = issued.body().path("token").asText();
        assertThat(token).startsWith(ApiTokens.PREFIX);
        JsonNode listed = asUser.get("/api/v1/account/tokens").body().path("items");
        assertThat(listed.toString()).doesNotContain(token).contains("monitoring").contains(user.email());

        assertThat(get("/api/v1/me", token).status()).isEqualTo(200);
        Response write = post("/api/v1/resends", token, "{\"udi\":\"PID:C1111-4P,SN:FGL0000001\"}");
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.body().path("type").asText()).endsWith("/read-only");
        assertThat(post("/api/v1/account/tokens", account.token(), "{\"name\":\"x\",\"scope\":\"write\"}").status())
                .as("tokens are made by people, not by tokens").isEqualTo(403);

        String tokenId = issued.body().path("id").asText();
        Response revoke = asUser.send(asUser.at("/api/v1/account/tokens/" + tokenId).header("X-XSRF-TOKEN", asUser.csrf()).DELETE());
        assertThat(revoke.status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/api/v1/me", token).status() == 401);
        assertThat(asViewer.postJson("/api/v1/account/tokens", "{\"name\":\"x\",\"scope\":\"read\"}", true).status()).isEqualTo(403);
    }

    @Test
    void aSuspendedAccountsSessionsAndTokensAreRefusedUntilItIsReactivated() {
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        TestAccount account = newCustomer();
        PortalUser admin = newPortalUser(account, "ACCOUNT_ADMIN");
        Browser browser = new Browser();
        browser.signIn(admin.email(), admin.password());
        assertThat(browser.get("/api/v1/me").status()).isEqualTo(200);

        Response suspended = post("/api/v1/accounts/" + account.id() + "/suspend", operator.token(), "{\"reason\":\"unpaid invoices\"}");
        assertThat(suspended.status()).as(suspended.raw()).isEqualTo(200);
        Response ended = browser.get("/api/v1/me");
        assertThat(ended.status()).isEqualTo(401);
        assertThat(ended.body().path("type").asText()).endsWith("/signed-out");
        assertThat(get("/api/v1/me", account.token()).status()).isEqualTo(401);
        assertThat(new Browser().signIn(admin.email(), admin.password())).endsWith("error=bad");

        assertThat(post("/api/v1/accounts/" + account.id() + "/reactivate", operator.token(), "{}").status()).isEqualTo(200);
        assertThat(get("/api/v1/me", account.token()).status()).isEqualTo(200);
        assertThat(new Browser().signIn(admin.email(), admin.password())).endsWith("/portal/");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where subject = ? and action in ('account.suspended', "
                + "'account.reactivated')", Integer.class, "account:" + account.id())).isEqualTo(2);
    }

    @Test
    void anAccountAdminInvitesAndManagesPeopleButNeverRemovesTheLastAdmin() throws Exception {
        TestAccount account = newCustomer();
        PortalUser admin = newPortalUser(account, "ACCOUNT_ADMIN");
        PortalUser user = newPortalUser(account, "ACCOUNT_USER");
        Browser asAdmin = new Browser();
        asAdmin.signIn(admin.email(), admin.password());
        String email = "new@" + account.id() + ".example";
        Response invited = asAdmin.postJson("/api/v1/account/users/invitations", "{\"email\":\"" + email + "\",\"role\":\"viewer\"}", true);
        assertThat(invited.status()).as(invited.raw()).isEqualTo(201);
        assertThat(invited.body().path("status").asText()).isEqualTo("INVITED");
        linkToken(email, "invitation");

        Browser asUser = new Browser();
        asUser.signIn(user.email(), user.password());
        assertThat(asUser.postJson("/api/v1/account/users/invitations", "{\"email\":\"x@" + account.id() + ".example\",\"role\":\"admin\"}",
                true).status()).as("only admins invite").isEqualTo(403);

        String adminId = asAdmin.get("/api/v1/me").body().path("user").path("id").asText();
        Response demote = asAdmin.send(asAdmin.at("/api/v1/account/users/" + adminId).header("Content-Type", "application/json")
                .header("X-XSRF-TOKEN", asAdmin.csrf()).method("PATCH", HttpRequest.BodyPublishers.ofString("{\"role\":\"ACCOUNT_USER\"}")));
        assertThat(demote.status()).isEqualTo(409);
        assertThat(demote.body().path("code").asText()).isEqualTo("LAST_ADMIN");

        String userId = asUser.get("/api/v1/me").body().path("user").path("id").asText();
        Response disable = asAdmin.send(asAdmin.at("/api/v1/account/users/" + userId).header("Content-Type", "application/json")
                .header("X-XSRF-TOKEN", asAdmin.csrf()).method("PATCH", HttpRequest.BodyPublishers.ofString("{\"disabled\":true}")));
        assertThat(disable.status()).as(disable.raw()).isEqualTo(200);
        assertThat(asUser.get("/api/v1/me").status()).as("a disabled person's session ends").isEqualTo(401);

        // Another account's admin sees none of these people.
        TestAccount other = newCustomer();
        PortalUser stranger = newPortalUser(other, "ACCOUNT_ADMIN");
        Browser asStranger = new Browser();
        asStranger.signIn(stranger.email(), stranger.password());
        assertThat(asStranger.get("/api/v1/account/users").raw()).doesNotContain(admin.email()).doesNotContain(user.email());
        Response foreign = asStranger.send(asStranger.at("/api/v1/account/users/" + userId).header("Content-Type", "application/json")
                .header("X-XSRF-TOKEN", asStranger.csrf()).method("PATCH", HttpRequest.BodyPublishers.ofString("{\"disabled\":false}")));
        assertThat(foreign.status()).isEqualTo(404);
    }

    /** The single-use token of the newest mail to this address that carries a link to the given portal page. */
    private static String linkToken(String email, String page) throws Exception {
        Pattern link = Pattern.compile("/portal/" + page + "\\.html#token=([A-Za-z0-9_-]{43})");
        String[] token = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (MimeMessage m : SMTP.getReceivedMessages()) {
                if (Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().contains(email))) {
                    Matcher matcher = link.matcher(GreenMailUtil.getBody(m).replace("=\r\n", "").replace("=3D", "="));
                    if (matcher.find()) {
                        token[0] = matcher.group(1);
                    }
                }
            }
            return token[0] != null;
        });
        return token[0];
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
