package io.nodelock.rehost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodelock.device.DeviceAuthority;
import io.nodelock.license.SigningKeys;
import io.nodelock.licensefile.DeviceCertificate;
import io.nodelock.licensefile.DeviceCredential;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.ManufacturingAuthority;
import io.nodelock.licensefile.PermissionTicket;
import io.nodelock.licensefile.RehostTicket;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.TicketSigner;
import io.nodelock.licensefile.TicketVerifier;
import io.nodelock.licensefile.Udi;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.rehost.process.RehostProcess;
import io.nodelock.support.ServiceIT;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.operaton.bpm.engine.FormService;
import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.ManagementService;
import org.operaton.bpm.engine.RepositoryService;
import org.operaton.bpm.engine.runtime.Job;
import org.operaton.bpm.engine.runtime.ProcessInstance;
import org.springframework.beans.factory.annotation.Autowired;

/** Every path of bpmn/license-rehost.bpmn through the REST API on PostgreSQL, with real device keys and signatures. */
class RehostFlowIT extends ServiceIT {

    @Autowired
    ManagementService management;
    @Autowired
    org.operaton.bpm.engine.RuntimeService runtime;
    @Autowired
    SigningKeys serviceKeys;
    @Autowired
    FormService forms;
    @Autowired
    IdentityService identity;
    @Autowired
    RepositoryService repository;

    @Autowired
    DeviceAuthority authority;

    /** A simulated source device: its UDI, device key and, if it was made certified, its certificate. */
    record Dev(Udi udi, SigningKey key, DeviceCertificate certificate) {
        Dev(Udi udi, SigningKey key) {
            this(udi, key, null);
        }

        /** The credential as 'license save credential' writes it: with the certificate when the device has one. */
        String credential() {
            DeviceCredential signed = new TicketSigner(key).sign(DeviceCredential.of(udi, key.publicKey(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS)));
            return (certificate == null ? signed : signed.withCertificate(certificate)).toFile();
        }

        String revoke(PermissionTicket permission) {
            return revokeAt(permission, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }

        /** A rehost ticket with the revocation time the device's clock says (a device that tampers with its clock). */
        String revokeAt(PermissionTicket permission, Instant revokedAt) {
            return new TicketSigner(key).sign(RehostTicket.of(permission.ticketId(), udi, permission.licenseIds(),
                    revokedAt, key.publicKey())).toFile();
        }
    }

    @Test
    void movesTheChosenLicenseToTheDestinationAndRecordsTheSourceAsTransferred() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1), new NewLine("SL-1100-AIS-K9", 1));
        Dev a = device("C1111-4P");
        String b = "PID:C1111-4P,SN:" + randomSerial();
        String security = issueLicenses(customer, pak, "FL-C1111-SEC-K9", a.udi().binding()).get(0);
        String ais = issueLicenses(customer, pak, "SL-1100-AIS-K9", a.udi().binding()).get(0);

        Response listed = post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(a.credential()));
        assertThat(listed.status()).as(listed.raw()).isEqualTo(200);
        assertThat(ids(listed.body().path("licenses"))).containsExactlyInAnyOrder(security, ais);
        assertThat(listed.body().path("deviceKeyId").asText()).isEqualTo(a.key().publicKey().keyId());

        String location = startRehost(customer, a, List.of(security));
        JsonNode awaiting = awaitStatus(location, customer, "AWAITING_REHOST_TICKET");
        PermissionTicket permission = downloadPermission(location, customer);
        assertThat(permission.udi().sameDevice(a.udi())).isTrue();
        assertThat(permission.licenseIds()).containsExactly(security);
        assertThat(permission.ticketId()).isEqualTo(awaiting.path("permissionTicket").path("id").asText());
        assertThat(Duration.between(permission.issuedAt(), permission.expiresAt())).isEqualTo(Duration.ofDays(7));
        assertThat(new TicketVerifier(serviceKeys.publishedKeys()).verifyPermission(permission, a.udi(), Instant.now()).ok()).isTrue();
        // While the rehost is open its license is not offered again.
        assertThat(ids(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(a.credential())).body()
                .path("licenses"))).containsExactly(ais);

        Response uploaded = upload(location, customer, a.revoke(permission), b);
        assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(202);
        JsonNode issued = awaitStatus(location, customer, "ISSUED");
        assertThat(issued.path("destinationUdi").asText()).isEqualTo(b);

        List<LicenseLine> lines = LicenseFile.parse(get(issued.path("licenseFile").asText(), customer.token()).raw()).lines();
        assertThat(lines).extracting(l -> l.udi().binding()).containsOnly(b);
        assertThat(lines).extracting(LicenseLine::feature).containsExactly("securityk9");
        assertThat(lines).extracting(l -> l.type().wireName()).containsExactly("permanent");
        assertThat(status(security)).isEqualTo("TRANSFERRED");
        assertThat(status(ais)).isEqualTo("ACTIVE");
        assertThat(jdbc.queryForObject("select replaces_id from license where udi = ?", String.class, b)).isEqualTo(security);

        Response again = upload(location, customer, a.revoke(permission), b);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().path("type").asText()).endsWith("/already-redeemed");

        String id = issued.path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("select count(*) from mail_outbox where "
                + "audit_subject = ? and status = 'SENT'", Integer.class, "rehost:" + id) == 2);
        assertThat(jdbc.queryForList("select attachment_name from mail_outbox where audit_subject = ? order by id", String.class,
                "rehost:" + id)).containsExactly("permission-" + permission.ticketId() + ".txt", "nodelock-" + id + ".lic");
        assertThat(jdbc.queryForList("select action from audit_event where subject = ? order by id", String.class, "rehost:" + id))
                .containsSubsequence("rehost.submitted", "rehost.permission-ticket-issued", "mail.queued",
                        "rehost.awaiting-rehost-ticket", "rehost.ticket-redeemed", "license.transferred", "mail.queued");
        assertThat(jdbc.queryForList("select action from audit_event where subject = ?", String.class, "device:" + a.udi().binding()))
                .containsExactly("device-key.certified");
        assertEndEvent(id, "EndEvent_LicensesTransferred");
    }

    @Test
    void aRehostTicketIsRefusedWhileAnRmaHoldsTheSourceSoNoLicenseLivesTwice() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Dev a = device("C1111-4P");
        String security = issueLicenses(customer, pak, "FL-C1111-SEC-K9", a.udi().binding()).get(0);
        String location = startRehost(customer, a, List.of(security));
        awaitStatus(location, customer, "AWAITING_REHOST_TICKET");
        PermissionTicket permission = downloadPermission(location, customer);

        // The customer also declares A failed: the RMA locks A and moves its licenses to the replacement.
        String replacement = "PID:C1111-4P,SN:" + randomSerial();
        ship(customer, replacement);
        Response rma = post("/api/v1/rmas", customer.token(), """
                {"failedUdi":"%s","replacementUdi":"%s","rmaNumber":"RMA-%s","email":"%s"}""".formatted(a.udi().binding(),
                replacement, randomSerial(), customer.email()));
        assertThat(rma.status()).as(rma.raw()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> "REPLACED".equals(status(security)));

        Response uploaded = upload(location, customer, a.revoke(permission), "PID:C1111-4P,SN:" + randomSerial());
        assertThat(uploaded.status()).as(uploaded.raw()).isIn(409, 422);
        assertThat(uploaded.body().path("detail").asText()).containsAnyOf("locked", "no longer active");
        assertThat(jdbc.queryForObject("select count(*) from license where replaces_id = ? and status = 'ACTIVE'", Integer.class,
                security)).isEqualTo(1);
    }

    @Test
    void onlyActivePermanentLicensesAreTransferable() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-ISR4300-SEC-K9", 1), new NewLine("EVAL-ISR4300-SEC", 1),
                new NewLine("SUB-ISR4300-AES-1Y", 1));
        Dev a = device("ISR4331/K9");
        String permanent = issueLicenses(customer, pak, "FL-ISR4300-SEC-K9", a.udi().binding()).get(0);
        String evaluation = issueLicenses(customer, pak, "EVAL-ISR4300-SEC", a.udi().binding()).get(0);
        String subscription = issueLicenses(customer, pak, "SUB-ISR4300-AES-1Y", a.udi().binding()).get(0);

        Response listed = post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(a.credential()));
        assertThat(ids(listed.body().path("licenses"))).containsExactly(permanent);

        for (String notMovable : List.of(evaluation, subscription, "NL-NOTMINE0-00000000")) {
            Response refused = post("/api/v1/rehosts", customer.token(), rehostJson(a.credential(), List.of(permanent, notMovable),
                    customer.email()));
            assertProblem(refused, 422, "license-not-transferable");
        }
        Response noEmail = post("/api/v1/rehosts", customer.token(), rehostJson(a.credential(), List.of(permanent), "nobody"));
        assertProblem(noEmail, 400, "request-invalid");
        assertThat(jdbc.queryForObject("select count(*) from rehost where source_udi = ?", Integer.class, a.udi().binding())).isZero();
    }

    @Test
    void credentialsAreCheckedAndOnlyACertifiedDeviceKeyIsTrusted() {
        TestAccount customer = newCustomer();
        TestAccount other = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Dev a = device("C1111-4P");
        issueLicenses(customer, pak, "FL-C1111-SEC-K9", a.udi().binding());

        String tampered = a.credential().replace(",SN:", ",SN:X");
        assertProblem(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(tampered)), 400, "bad-credential");
        assertProblem(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson("hello")), 400, "bad-credential");
        assertProblem(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(device("C1111-4P").credential())),
                404, "unknown-udi");
        // Another account cannot use the device, and its attempt records no key.
        assertProblem(post("/api/v1/rehosts/transferable-licenses", other.token(), credentialJson(a.credential())), 403,
                "device-of-another-account");
        assertThat(jdbc.queryForObject("select count(*) from device_key where udi = ?", Integer.class, a.udi().binding())).isZero();

        // Without its certificate the device's own key is not trusted (trust on first use is off by default).
        Dev stripped = new Dev(a.udi(), a.key());
        assertProblem(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(stripped.credential())), 403,
                "uncertified-device");
        assertProblem(post("/api/v1/rehosts", customer.token(), rehostJson(stripped.credential(), List.of("NL-X"), customer.email())),
                403, "uncertified-device");
        assertThat(jdbc.queryForObject("select count(*) from device_key where udi = ?", Integer.class, a.udi().binding())).isZero();
        // A certificate from an authority the service does not trust is refused, not taken for "no certificate".
        Dev foreignCa = certified(a.udi(), a.key(), new ManufacturingAuthority(SigningKey.generate()));
        assertProblem(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(foreignCa.credential())), 403,
                "untrusted-device-certificate");
        // Another device's certificate does not cover this key.
        Dev borrowed = new Dev(a.udi(), SigningKey.generate(), a.certificate());
        assertProblem(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(borrowed.credential())), 403,
                "untrusted-device-certificate");

        assertThat(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(a.credential())).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select certificate_serial from device_key where udi = ?", String.class, a.udi().binding()))
                .isEqualTo(a.certificate().serial());
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'device-key.certified' and subject = ?",
                Integer.class, "device:" + a.udi().binding())).isEqualTo(1);
        Dev impostor = new Dev(a.udi(), SigningKey.generate());
        assertProblem(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(impostor.credential())), 409,
                "credential-key-mismatch");
        assertProblem(post("/api/v1/rehosts", customer.token(), rehostJson(impostor.credential(), List.of("NL-X"), customer.email())),
                409, "credential-key-mismatch");
        assertThat(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(a.credential())).status()).isEqualTo(200);
    }

    @Test
    void aCertifiedKeyReplacesAKeyRegisteredOnFirstUse() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Dev real = device("C1111-4P");
        String license = issueLicenses(customer, pak, "FL-C1111-SEC-K9", real.udi().binding()).get(0);
        // A key registered earlier on first use (as a service with trust on first use did): not the certified one.
        SigningKey earlier = SigningKey.generate();
        jdbc.update("insert into device_key (udi, account_id, public_key, key_id, registered_at) values (?, ?, ?, ?, now())",
                real.udi().binding(), customer.id(), java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                        earlier.publicKey().publicKey()), earlier.keyId());

        assertThat(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(real.credential())).status())
                .isEqualTo(200);
        assertThat(jdbc.queryForObject("select key_id from device_key where udi = ?", String.class, real.udi().binding()))
                .isEqualTo(real.key().keyId());
        assertThat(jdbc.queryForObject("select detail from audit_event where action = 'device-key.certified' and subject = ?",
                String.class, "device:" + real.udi().binding())).contains("replacing the key " + earlier.keyId());
        // The key that was registered first is a mismatch from now on, and so are its rehost tickets.
        assertProblem(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(new Dev(real.udi(), earlier)
                .credential())), 409, "credential-key-mismatch");
        String location = startRehost(customer, real, List.of(license));
        awaitStatus(location, customer, "AWAITING_REHOST_TICKET");
        PermissionTicket permission = downloadPermission(location, customer);
        String destination = "PID:C1111-4P,SN:" + randomSerial();
        assertProblem(upload(location, customer, new Dev(real.udi(), earlier).revoke(permission), destination), 422,
                "rehost-ticket-of-another-device");
        assertThat(upload(location, customer, real.revoke(permission), destination).status()).isEqualTo(202);
        awaitStatus(location, customer, "ISSUED");
    }

    @Test
    void aSecondKeyForACertifiedDeviceIsRefusedWhateverCertificateItCarries() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Dev real = device("C1111-4P");
        issueLicenses(customer, pak, "FL-C1111-SEC-K9", real.udi().binding());
        assertThat(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(real.credential())).status())
                .isEqualTo(200);

        Dev clone = certified(real.udi(), SigningKey.generate(), new ManufacturingAuthority(SigningKey.generate()));
        assertProblem(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(clone.credential())), 409,
                "credential-key-mismatch");
        // Even one the service's own authority certified later: the key recorded first stays the UDI's.
        Dev reissued = certifiedByTheService(real.udi(), SigningKey.generate());
        assertProblem(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(reissued.credential())), 409,
                "credential-key-mismatch");
        assertThat(jdbc.queryForObject("select key_id from device_key where udi = ?", String.class, real.udi().binding()))
                .isEqualTo(real.key().keyId());
    }

    @Test
    void badRehostTicketsAndDestinationsAreRefusedWithTheirOwnReason() {
        TestAccount customer = newCustomer();
        TestAccount other = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Pak otherPak = newPak(other, new NewLine("FL-C1111-SEC-K9", 1));
        Dev a = device("C1111-4P");
        String foreign = "PID:C1111-4P,SN:" + randomSerial();
        issueLicenses(other, otherPak, "FL-C1111-SEC-K9", foreign);
        String license = issueLicenses(customer, pak, "FL-C1111-SEC-K9", a.udi().binding()).get(0);
        String location = startRehost(customer, a, List.of(license));
        awaitStatus(location, customer, "AWAITING_REHOST_TICKET");
        PermissionTicket permission = downloadPermission(location, customer);
        String good = a.revoke(permission);
        String b = "PID:C1111-4P,SN:" + randomSerial();

        String tampered = good.replaceFirst("revoked=(\\d{4})", "revoked=2099");
        assertThat(tampered).isNotEqualTo(good);
        assertProblem(upload(location, customer, tampered, b), 422, "tampered-rehost-ticket");
        assertProblem(upload(location, customer, "NLRT1 ticket=" + permission.ticketId(), b), 400, "invalid-rehost-ticket");
        // Signed by another device: a valid signature, but not with the source's registered key.
        Dev anotherDevice = new Dev(a.udi(), SigningKey.generate());
        assertProblem(upload(location, customer, anotherDevice.revoke(permission), b), 422, "rehost-ticket-of-another-device");
        Dev bDevice = new Dev(Udi.parse(b), SigningKey.generate());
        assertProblem(upload(location, customer, bDevice.revoke(permission), b), 422, "rehost-ticket-of-another-device");
        PermissionTicket otherTicket = PermissionTicket.of("PT-OTHER-1", a.udi(), permission.licenseIds(), permission.issuedAt(),
                permission.expiresAt());
        assertProblem(upload(location, customer, a.revoke(otherTicket), b), 422, "rehost-ticket-mismatch");

        assertProblem(upload(location, customer, good, a.udi().binding()), 422, "destination-not-allowed");
        assertProblem(upload(location, customer, good, "PID:ISR4331/K9,SN:" + randomSerial()), 422, "destination-not-allowed");
        assertProblem(upload(location, customer, good, foreign), 403, "device-of-another-account");
        assertProblem(upload(location, customer, good, "not a udi"), 400, "request-invalid");
        assertProblem(upload(location, other, good, b), 404, "not-found");

        // None of the refusals consumed the ticket.
        assertThat(upload(location, customer, good, b).status()).isEqualTo(202);
        awaitStatus(location, customer, "ISSUED");
    }

    @Test
    void withoutARehostTicketTheProcessEndsWhenTheLateUploadWindowCloses() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Dev a = device("C1111-4P");
        String license = issueLicenses(customer, pak, "FL-C1111-SEC-K9", a.udi().binding()).get(0);
        String location = startRehost(customer, a, List.of(license));
        JsonNode awaiting = awaitStatus(location, customer, "AWAITING_REHOST_TICKET");
        String id = awaiting.path("id").asText();
        PermissionTicket permission = downloadPermission(location, customer);

        Job timer = management.createJobQuery().processInstanceId(processInstance(id)).timers().singleResult();
        assertThat(timer.getDuedate().toInstant()).isEqualTo(permission.expiresAt());
        management.executeJob(timer.getId());

        JsonNode expired = awaitStatus(location, customer, "EXPIRED");
        assertThat(expired.path("destinationUdi").isMissingNode() || expired.path("destinationUdi").isNull()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(get(location, customer.token()).body().path("mails")
                .path("expired").asText()));
        assertThat(jdbc.queryForList("select action from audit_event where subject = ?", String.class, "rehost:" + id))
                .contains("rehost.expired");
        // Nothing moved: the license is listed for a new rehost (the service cannot know whether the device revoked).
        assertThat(status(license)).isEqualTo("ACTIVE");
        assertThat(ids(post("/api/v1/rehosts/transferable-licenses", customer.token(), credentialJson(a.credential())).body()
                .path("licenses"))).containsExactly(license);

        // The model still waits for a late rehost ticket, until the late-upload window (60 days by default) closes.
        Job window = await().atMost(Duration.ofSeconds(30)).until(() -> management.createJobQuery()
                .processInstanceId(processInstance(id)).timers().singleResult(), java.util.Objects::nonNull);
        assertThat(window.getDuedate().toInstant()).isEqualTo(permission.expiresAt().plus(Duration.ofDays(60)));
        management.executeJob(window.getId());
        assertEndEvent(id, "EndEvent_PermissionExpired");

        Response late = upload(location, customer, a.revoke(permission), "PID:C1111-4P,SN:" + randomSerial());
        assertProblem(late, 410, "permission-ticket-expired");
        assertThat(status(license)).isEqualTo("ACTIVE");
    }

    @Test
    void aRehostTicketRevokedWithinTheValidityIsRedeemedAfterTheExpiry() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Dev a = device("C1111-4P");
        String license = issueLicenses(customer, pak, "FL-C1111-SEC-K9", a.udi().binding()).get(0);
        String location = startRehost(customer, a, List.of(license));
        String id = awaitStatus(location, customer, "AWAITING_REHOST_TICKET").path("id").asText();
        PermissionTicket permission = downloadPermission(location, customer);
        // The device revoked while the permission was valid; the customer uploads only after the expiry.
        String rehostTicket = a.revoke(permission);
        fireTimer(id);
        awaitStatus(location, customer, "EXPIRED");

        String destination = "PID:C1111-4P,SN:" + randomSerial();
        assertThat(upload(location, customer, rehostTicket, destination).status()).isEqualTo(202);
        JsonNode issued = awaitStatus(location, customer, "ISSUED");
        assertThat(issued.path("destinationUdi").asText()).isEqualTo(destination);
        assertThat(status(license)).isEqualTo("TRANSFERRED");
        assertEndEvent(id, "EndEvent_LicensesTransferred");
    }

    @Test
    void aRehostTicketMustBeRevokedWithinThePermissionsValidity() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Dev a = device("C1111-4P");
        String license = issueLicenses(customer, pak, "FL-C1111-SEC-K9", a.udi().binding()).get(0);
        String location = startRehost(customer, a, List.of(license));
        awaitStatus(location, customer, "AWAITING_REHOST_TICKET");
        PermissionTicket permission = downloadPermission(location, customer);
        String destination = "PID:C1111-4P,SN:" + randomSerial();

        assertProblem(upload(location, customer, a.revokeAt(permission, permission.expiresAt()), destination), 410,
                "permission-ticket-expired");
        // Before the ticket was issued, beyond the tolerance for a device clock that runs slow.
        assertProblem(upload(location, customer, a.revokeAt(permission, permission.issuedAt().minusSeconds(301)), destination), 422,
                "rehost-ticket-mismatch");
        assertThat(status(license)).isEqualTo("ACTIVE");
        // The same device's ticket from within the validity is still redeemed.
        // The same device's ticket from within the validity is still redeemed, even from a clock two seconds slow.
        assertThat(upload(location, customer, a.revokeAt(permission, permission.issuedAt().minusSeconds(2)), destination).status())
                .isEqualTo(202);
        awaitStatus(location, customer, "ISSUED");
    }

    @Test
    void aLateRehostTicketLosesToALaterRehostOfTheSameLicense() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Dev a = device("C1111-4P");
        String license = issueLicenses(customer, pak, "FL-C1111-SEC-K9", a.udi().binding()).get(0);
        String first = startRehost(customer, a, List.of(license));
        String firstId = awaitStatus(first, customer, "AWAITING_REHOST_TICKET").path("id").asText();
        String lateTicket = a.revoke(downloadPermission(first, customer));
        fireTimer(firstId);
        awaitStatus(first, customer, "EXPIRED");

        // The customer starts over before uploading: the new rehost holds the license, the old ticket is refused.
        String second = startRehost(customer, a, List.of(license));
        awaitStatus(second, customer, "AWAITING_REHOST_TICKET");
        assertProblem(upload(first, customer, lateTicket, "PID:C1111-4P,SN:" + randomSerial()), 409, "licenses-no-longer-active");
        assertThat(status(license)).isEqualTo("ACTIVE");
    }

    @Test
    void anUploadAfterTheExpiryIsRefusedEvenBeforeTheTimerFired() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Dev a = device("C1111-4P");
        String license = issueLicenses(customer, pak, "FL-C1111-SEC-K9", a.udi().binding()).get(0);
        String location = startRehost(customer, a, List.of(license));
        String id = awaitStatus(location, customer, "AWAITING_REHOST_TICKET").path("id").asText();
        PermissionTicket permission = downloadPermission(location, customer);
        // The ticket's validity ran out (the timer job has not run yet).
        jdbc.update("update permission_ticket set expires_at = ? where id = ?", java.sql.Timestamp.from(Instant.now().minusSeconds(1)),
                permission.ticketId());

        assertProblem(upload(location, customer, a.revoke(permission), "PID:C1111-4P,SN:" + randomSerial()), 410,
                "permission-ticket-expired");
        assertThat(jdbc.queryForObject("select count(*) from rehost_redemption where rehost_id = ?", Integer.class,
                UUID.fromString(id))).isZero();
        assertThat(status(license)).isEqualTo("ACTIVE");
    }

    @Test
    void thirtyTwoConcurrentUploadsOfOneRehostTicketRedeemItOnce() throws Exception {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1), new NewLine("SL-1100-AIS-K9", 1));
        Dev a = device("C1111-4P");
        String b = "PID:C1111-4P,SN:" + randomSerial();
        List<String> moving = new ArrayList<>();
        moving.addAll(issueLicenses(customer, pak, "FL-C1111-SEC-K9", a.udi().binding()));
        moving.addAll(issueLicenses(customer, pak, "SL-1100-AIS-K9", a.udi().binding()));
        String location = startRehost(customer, a, moving);
        String id = awaitStatus(location, customer, "AWAITING_REHOST_TICKET").path("id").asText();
        String rehostTicket = a.revoke(downloadPermission(location, customer));

        int uploads = 32;
        ExecutorService pool = Executors.newFixedThreadPool(uploads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> results = new ArrayList<>();
        try {
            for (int i = 0; i < uploads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return upload(location, customer, rehostTicket, b);
                }));
            }
            start.countDown();
            Map<String, Integer> outcomes = new HashMap<>();
            for (Future<Response> f : results) {
                Response r = f.get();
                String key = r.status() + " " + (r.status() == 202 ? "accepted" : r.body().path("type").asText());
                outcomes.merge(key, 1, Integer::sum);
            }
            assertThat(outcomes).containsOnly(Map.entry("202 accepted", 1),
                    Map.entry("409 https://nodelock.io/problems/already-redeemed", uploads - 1));
        } finally {
            pool.shutdownNow();
        }
        awaitStatus(location, customer, "ISSUED");
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("select count(*) from mail_outbox where "
                + "audit_subject = ? and status = 'SENT'", Integer.class, "rehost:" + id) == 2);
        assertThat(jdbc.queryForObject("select count(*) from license where udi = ?", Integer.class, b)).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from license_file where issue_id = ?", Integer.class, UUID.fromString(id))).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from rehost_redemption where rehost_id = ?", Integer.class, UUID.fromString(id))).isEqualTo(1);
        assertThat(jdbc.queryForList("select action from audit_event where subject = ? and action = 'rehost.ticket-redeemed'",
                String.class, "rehost:" + id)).hasSize(1);
        for (String license : moving) {
            assertThat(status(license)).isEqualTo("TRANSFERRED");
        }
    }

    @Test
    void aStartFormSubmittedToTheEngineMovesNothing() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Dev a = device("C1111-4P");
        String license = issueLicenses(customer, pak, "FL-C1111-SEC-K9", a.udi().binding()).get(0);

        // Customers come in through the API (or the portal), never as engine users: even an administrator's start
        // from the form records nothing.
        ProcessInstance start = startFromForm("admin", a.credential(), license, customer.email());
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createIncidentQuery().processInstanceId(start.getId()).count() == 1);
        assertThat(runtime.createIncidentQuery().processInstanceId(start.getId()).singleResult().getIncidentMessage())
                .contains("not started by Nodelock's intake");
        assertThat(jdbc.queryForObject("select count(*) from rehost where process_instance_id = ?", Integer.class, start.getId())).isZero();
        assertThat(status(license)).isEqualTo("ACTIVE");
        runtime.deleteProcessInstance(start.getId(), "test cleanup");
    }

    // ---- helpers ----

    private ProcessInstance startFromForm(String user, String credential, String licenseIds, String email) {
        String definitionId = repository.createProcessDefinitionQuery().processDefinitionKey(RehostProcess.PROCESS_KEY)
                .latestVersion().singleResult().getId();
        Map<String, Object> values = new HashMap<>();
        values.put(RehostProcess.VAR_CREDENTIAL, credential);
        values.put(RehostProcess.VAR_LICENSE_IDS, licenseIds);
        values.put(RehostProcess.VAR_EMAIL, email);
        identity.setAuthentication(user, List.of(io.nodelock.account.Role.ADMIN.engineGroup()));
        try {
            return forms.submitStartForm(definitionId, values);
        } finally {
            identity.clearAuthentication();
        }
    }

    /** A device certified by the service's own manufacturing authority. */
    private Dev device(String pid) {
        return certifiedByTheService(Udi.parse("PID:" + pid + ",SN:" + randomSerial()), SigningKey.generate());
    }

    private static Dev certified(Udi udi, SigningKey key, ManufacturingAuthority by) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new Dev(udi, key, by.issue("T-" + randomSerial(), udi, key.publicKey(), now.minusSeconds(60), now.plusSeconds(86_400)));
    }

    private Dev certifiedByTheService(Udi udi, SigningKey key) {
        return new Dev(udi, key, authority.issue("T-" + randomSerial(), udi, key.publicKey()));
    }

    private String startRehost(TestAccount customer, Dev source, List<String> licenseIds) {
        Response accepted = post("/api/v1/rehosts", customer.token(), rehostJson(source.credential(), licenseIds, customer.email()));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        return accepted.headers().firstValue("Location").orElseThrow();
    }

    private PermissionTicket downloadPermission(String location, TestAccount customer) {
        Response file = get(location + "/permission-ticket", customer.token());
        assertThat(file.status()).as(file.raw()).isEqualTo(200);
        return PermissionTicket.parseFile(file.raw());
    }

    private Response upload(String location, TestAccount customer, String rehostTicket, String destination) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("rehostTicket", rehostTicket).put("destinationUdi", destination);
        return post(location + "/rehost-ticket", customer.token(), body.toString());
    }

    private JsonNode awaitStatus(String location, TestAccount customer, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = get(location, customer.token()).body();
            return status.equals(last[0].path("status").asText());
        });
        return last[0];
    }

    private String status(String licenseId) {
        return jdbc.queryForObject("select status from license where id = ?", String.class, licenseId);
    }

    /** Runs the instance's one waiting timer now, as if its due date had come. */
    private void fireTimer(String rehostId) {
        management.executeJob(management.createJobQuery().processInstanceId(processInstance(rehostId)).timers().singleResult().getId());
    }

    private String processInstance(String rehostId) {
        return jdbc.queryForObject("select process_instance_id from rehost where id = ?", String.class, UUID.fromString(rehostId));
    }

    private void assertEndEvent(String rehostId, String endEvent) {
        String instance = processInstance(rehostId);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select end_act_id_ from act_hi_procinst where id_ = ?", String.class, instance)).isEqualTo(endEvent));
    }

    private static void assertProblem(Response response, int status, String type) {
        assertThat(response.status()).as(response.raw()).isEqualTo(status);
        assertThat(response.body().path("type").asText()).as(response.raw()).isEqualTo("https://nodelock.io/problems/" + type);
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(n -> ids.add(n.isTextual() ? n.asText() : n.path("id").asText()));
        return ids;
    }

    private static String credentialJson(String credential) {
        return JsonNodeFactory.instance.objectNode().put("credential", credential).toString();
    }

    private static String rehostJson(String credential, List<String> licenseIds, String email) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("credential", credential).put("email", email);
        licenseIds.forEach(body.putArray("licenseIds")::add);
        return body.toString();
    }
}
