package io.nodelock.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nodelock.account.Role;
import io.nodelock.device.Devices;
import io.nodelock.licensefile.Udi;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The CSV reports and the expiry alert, on PostgreSQL, with licenses the flows issued. */
class ReportsIT extends ServiceIT {

    @Autowired
    ExpiryAlerts alerts;

    @Autowired
    Devices deviceRecords;

    @Test
    void csvReportsCoverTheCallersAccountAndAnOperatorsChoice() {
        TestAccount customer = newCustomer();
        TestAccount other = newCustomer();
        String udi = "PID:C1111-4P,SN:" + randomSerial();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 3));
        String licenseId = awaitOutcome(post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(),
                "FL-C1111-SEC-K9", udi, customer.email(), false)).headers().firstValue("Location").orElseThrow(), customer.token())
                .path("licenseIds").get(0).asText();
        newPak(other, new NewLine("FL-C1111-SEC-K9", 1));

        Response byFeature = get("/api/v1/reports/licenses-by-feature.csv", customer.token());
        assertThat(byFeature.status()).isEqualTo(200);
        assertThat(byFeature.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(byFeature.headers().firstValue("Content-Disposition").orElseThrow()).contains("licenses-by-feature-" + customer.id());
        assertThat(byFeature.raw()).isEqualTo("account_id,feature,type,active,active_counted_units,transferred,replaced,revoked,superseded,total\r\n"
                + customer.id() + ",securityk9,permanent,1,0,0,0,0,0,1\r\n");

        assertThat(get("/api/v1/reports/licenses-by-device.csv", customer.token()).raw())
                .contains(customer.id() + ",\"" + udi + "\",C1111-4P,").contains(",no,1,securityk9,");
        List<String> consumption = get("/api/v1/reports/pak-consumption.csv", customer.token()).raw().lines().toList();
        assertThat(consumption).hasSize(2);
        assertThat(consumption.get(1)).startsWith(customer.id() + "," + pak.code().value()).endsWith(",FL-C1111-SEC-K9,3,1,2,33");
        assertThat(get("/api/v1/reports/pak-consumption.csv", customer.token()).raw()).doesNotContain(other.id());

        // Another account's report is refused to a customer; an operator picks any account, or all.
        assertThat(get("/api/v1/reports/licenses-by-feature.csv?accountId=" + other.id(), customer.token()).status()).isEqualTo(403);
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        assertThat(get("/api/v1/reports/pak-consumption.csv?accountId=" + other.id(), operator.token()).raw())
                .contains(other.id()).doesNotContain(customer.id());
        assertThat(get("/api/v1/reports/licenses-by-feature.csv", operator.token()).raw()).contains(customer.id());
        assertThat(get("/api/v1/reports/nonsense.csv", customer.token()).status()).isEqualTo(404);
        assertThat(get("/api/v1/reports/licenses-by-expiry.csv?withinDays=-1", customer.token()).status()).isEqualTo(400);
        assertThat(licenseId).isNotBlank();
    }

    @Test
    void anEvaluationThatCanRunOutWithinAThresholdIsAnnouncedOnceAtThatThresholdAndAgainOnlyAtANearerOne() throws Exception {
        TestAccount customer = newCustomer();
        String udi = "PID:C1111-4P,SN:" + randomSerial();
        assertThat(deviceRecords.claim(Udi.parse(udi), customer.id())).isEqualTo(customer.id());
        Response granted = post("/api/v1/evaluations", customer.token(), """
                {"udi":"%s","feature":"securityk9","email":"%s","eulaVersion":"2026-11","eulaAccepted":true}"""
                .formatted(udi, customer.email()));
        assertThat(granted.status()).as(granted.raw()).isEqualTo(201);
        String licenseId = granted.body().path("licenseIds").get(0).asText();
        // Issued 55 days ago: with 60 days of use it can run out in 5 days at the earliest.
        jdbc.update("update license set issued_at = ? where id = ?", Timestamp.from(Instant.now().minus(Duration.ofDays(55))), licenseId);

        assertThat(get("/api/v1/reports/licenses-by-expiry.csv?withinDays=7", customer.token()).raw())
                .contains(licenseId + "," + customer.id()).contains(",evaluation,").contains(",4\r\n");
        assertThat(get("/api/v1/reports/licenses-by-expiry.csv?withinDays=3", customer.token()).raw()).doesNotContain(licenseId);

        Instant now = Instant.now();
        ExpiryAlerts.Run first = alerts.check(now);
        assertThat(first.alerts()).isGreaterThanOrEqualTo(1);
        assertThat(alerts.check(now.plusSeconds(60)).alerts()).as("once per license and threshold").isZero();
        assertThat(jdbc.queryForList("select threshold_days from expiry_alert where license_id = ?", Integer.class, licenseId))
                .containsExactly(7);
        MimeMessage mail = awaitMail(customer.email(), 1);
        assertThat(mail.getSubject()).isEqualTo("A license of yours ends soon");
        assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(mail)).contains(licenseId).contains("securityk9");

        // Four and a half days later it is inside the 1-day threshold: one more mail, then none.
        Instant later = now.plus(Duration.ofHours(4 * 24 + 12));
        assertThat(alerts.check(later).alerts()).isEqualTo(1);
        assertThat(alerts.check(later).alerts()).isZero();
        assertThat(jdbc.queryForList("select threshold_days from expiry_alert where license_id = ? order by threshold_days", Integer.class,
                licenseId)).containsExactly(1, 7);
        awaitMail(customer.email(), 2);
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        assertThat(post("/api/v1/reports/expiry-alerts/run", operator.token(), "{}").status()).isEqualTo(200);
        assertThat(post("/api/v1/reports/expiry-alerts/run", customer.token(), "{}").status()).isEqualTo(403);
    }

    private static MimeMessage awaitMail(String recipient, int count) {
        MimeMessage[] last = new MimeMessage[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<MimeMessage> mine = Arrays.stream(SMTP.getReceivedMessages()).filter(m -> {
                try {
                    return m.getSubject().contains("end") && Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                            .anyMatch(a -> a.toString().contains(recipient));
                } catch (Exception e) {
                    return false;
                }
            }).toList();
            if (mine.size() >= count) {
                last[0] = mine.get(mine.size() - 1);
            }
            return mine.size() >= count;
        });
        return last[0];
    }
}
