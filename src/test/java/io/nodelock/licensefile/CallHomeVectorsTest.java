package io.nodelock.licensefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Call Home formats against their test vectors in docs/call-home.md, and every reason a side refuses the other. */
class CallHomeVectorsTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final SigningKey DEVICE = SigningKey.fromSeed(HEX.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
    private static final SigningKey SERVICE = SigningKey.fromSeed(HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    private static final byte[] NONCE = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
    private static final Instant T0 = Instant.parse("2027-01-15T10:00:00Z");
    private static final Udi UDI = Udi.parse("PID:C1111-4P,SN:FGL2231AB1C");
    private static final String ARGS = "{\"pak\":\"DEM0-C111-1000-0015\",\"sku\":\"FL-C1111-SEC-K9\"}";
    private static final String BODY = "{\"status\":\"ISSUED\",\"licenseIds\":[\"NL-TV-0001\"]}";
    private static final Duration WINDOW = Duration.ofMinutes(5);

    private static CallHomeRequest request() {
        return CallHomeRequest.of("install", UDI, NONCE, T0, ARGS, DEVICE);
    }

    private static CallHomeResponse response() {
        return CallHomeResponse.answer(request(), T0.plusSeconds(2), "ok", BODY, SERVICE);
    }

    @Test
    void theDocumentHoldsBothVectorsVerbatimAndTheyRoundTrip() throws Exception {
        String doc = Files.readString(Path.of("docs", "call-home.md"));
        for (String text : List.of(request().toText(), request().signingInput(), response().toText(), response().signingInput())) {
            assertThat(doc).contains(text);
        }
        assertThat(doc).contains(DEVICE.keyId(), SERVICE.keyId());
        assertThat(CallHomeRequest.parse(request().toText())).isEqualTo(request());
        assertThat(CallHomeRequest.parse(request().toText()).argsJson()).isEqualTo(ARGS);
        assertThat(CallHomeResponse.parse(response().toText())).isEqualTo(response());
        assertThat(CallHomeResponse.parse(response().toText()).bodyJson()).isEqualTo(BODY);
    }

    @Test
    void theServiceKnowsTheDeviceSignedAFreshRequest() {
        CallHomeRequest request = CallHomeRequest.parse(request().toText());
        assertThat(request.signedBy(DEVICE.publicKey())).isTrue();
        assertThat(request.signedBy(SigningKey.generate().publicKey())).isFalse();
        CallHomeRequest changed = CallHomeRequest.parse(request().toText().replace("op=install", "op=revoke"));
        assertThat(changed.signedBy(DEVICE.publicKey())).as("a changed operation breaks the signature").isFalse();
        assertThat(request.freshAt(T0.plus(WINDOW), WINDOW)).isTrue();
        assertThat(request.freshAt(T0.plus(WINDOW).plusSeconds(1), WINDOW)).isFalse();
        assertThat(request.freshAt(T0.minus(WINDOW).minusSeconds(1), WINDOW)).as("from the future").isFalse();
        assertThat(CallHomeRequest.create("resend", UDI, null, T0, DEVICE).nonce()).isNotEqualTo(
                CallHomeRequest.create("resend", UDI, null, T0, DEVICE).nonce());
    }

    @Test
    void theDeviceUsesOnlyASignedFreshAnswerToItsOwnRequest() {
        List<PublicKeyInfo> trusted = List.of(SERVICE.publicKey());
        CallHomeResponse answer = CallHomeResponse.parse(response().toText());
        assertThat(answer.check(request(), trusted, T0, WINDOW)).isEqualTo(CallHomeResponse.Check.OK);
        assertThat(answer.check(request(), List.of(DEVICE.publicKey()), T0, WINDOW)).isEqualTo(CallHomeResponse.Check.UNKNOWN_KEY_ID);
        String tampered = response().toText().replace("status=ok", "status=refused");
        assertThat(CallHomeResponse.parse(tampered).check(request(), trusted, T0, WINDOW)).isEqualTo(CallHomeResponse.Check.BAD_SIGNATURE);
        CallHomeRequest another = CallHomeRequest.create("install", UDI, ARGS, T0, DEVICE);
        assertThat(answer.check(another, trusted, T0, WINDOW)).as("a replayed answer to an earlier request")
                .isEqualTo(CallHomeResponse.Check.NONCE_MISMATCH);
        assertThat(answer.check(request(), trusted, T0.plus(Duration.ofHours(1)), WINDOW)).isEqualTo(CallHomeResponse.Check.STALE);
        // A request's signature never passes for an answer's: the signing domains differ.
        CallHomeResponse forged = new CallHomeResponse(NONCE, T0, "ok", null, SERVICE.keyId(), request().signature());
        assertThat(forged.check(request(), trusted, T0, WINDOW)).isEqualTo(CallHomeResponse.Check.BAD_SIGNATURE);
    }

    @Test
    void everyOtherSpellingIsRefused() {
        String good = request().toText();
        for (String bad : List.of(good + " ", good.replace(" udi=", "  udi="), good.replace("time=2027-01-15T10:00:00Z", "time=2027-01-15T10:00:00.000Z"),
                good.replace("nonce=AAECAwQFBgcICQoLDA0ODw", "nonce=AAECAwQFBgcICQoLDA0ODx"), good.replace("args=eyJ", "args=eyJ="),
                good.replace("op=install", "op=Install"), good.replace("NLCH1", "NLCH2"), good.replace(" keyid=", " args=- keyid="))) {
            assertThatThrownBy(() -> CallHomeRequest.parse(bad)).as(bad).isInstanceOf(TicketFormatException.class);
        }
        String answer = response().toText();
        for (String bad : List.of(answer.replace(" keyid=", "= keyid="), answer.replace("status=ok", "status="),
                answer.replace("NLCR1", "NLCH1"))) {
            assertThatThrownBy(() -> CallHomeResponse.parse(bad)).as(bad).isInstanceOf(TicketFormatException.class);
        }
    }
}
