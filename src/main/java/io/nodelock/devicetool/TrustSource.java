package io.nodelock.devicetool;

import io.nodelock.licensefile.PublicKeyInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads service public keys from a PEM file or an http(s) URL: every {@code PUBLIC KEY} PEM block in the text, also
 * inside the JSON of {@code GET /api/v1/keys} (whose {@code pem} fields hold escaped PEM text).
 */
public final class TrustSource {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----[A-Za-z0-9+/=\\s]*?-----END PUBLIC KEY-----");

    private TrustSource() {
    }

    public static List<PublicKeyInfo> read(String source) {
        String text;
        if (source.startsWith("http://") || source.startsWith("https://")) {
            text = fetch(source);
        } else {
            text = SimulatedDevice.readText(Path.of(source), "key file");
        }
        return parse(source, text);
    }

    static List<PublicKeyInfo> parse(String source, String text) {
        String unescaped = text.replace("\\r", "").replace("\\n", "\n").replace("\\/", "/");
        List<PublicKeyInfo> keys = new ArrayList<>();
        Matcher m = PEM.matcher(unescaped);
        while (m.find()) {
            try {
                PublicKeyInfo k = PublicKeyInfo.fromPem(m.group());
                if (keys.stream().noneMatch(x -> x.keyId().equals(k.keyId()))) {
                    keys.add(k);
                }
            } catch (IllegalArgumentException e) {
                throw new DeviceException("corrupt public key in " + source + ": " + e.getMessage(), e);
            }
        }
        if (keys.isEmpty()) {
            throw new DeviceException("no Ed25519 PUBLIC KEY PEM block in " + source);
        }
        return keys;
    }

    private static String fetch(String url) {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new DeviceException("cannot fetch keys from " + url + ": HTTP " + r.statusCode());
            }
            return r.body();
        } catch (IOException | IllegalArgumentException e) {
            throw new DeviceException("cannot fetch keys from " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException("interrupted while fetching " + url, e);
        }
    }
}
