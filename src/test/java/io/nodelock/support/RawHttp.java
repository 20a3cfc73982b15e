package io.nodelock.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: java.net.http refuses to send what attackers send (control
 * characters and non-ASCII in headers, unnormalised paths, TRACE), and those are exactly the requests to test.
 */
public final class RawHttp {

    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    public record Answer(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A request with the usual framing: request line, Host, Connection: close, the given headers and body. */
    public Answer send(String method, String target, Map<String, byte[]> headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((method + " ").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(target.getBytes(StandardCharsets.UTF_8));
        out.writeBytes((" HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n").getBytes(StandardCharsets.ISO_8859_1));
        headers.forEach((name, value) -> {
            out.writeBytes((name + ": ").getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(value);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        });
        if (body != null) {
            out.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.writeBytes(body);
        }
        return exchange(out.toByteArray());
    }

    public static Map<String, byte[]> headers(String... nameValue) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameValue.length; i += 2) {
            map.put(nameValue[i], nameValue[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return map;
    }

    /**
     * Writes while reading: the server may answer (and close) before it has read a huge request, and the answer must
     * still be seen.
     */
    public Answer exchange(byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream os = socket.getOutputStream();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    os.write(request);
                    os.flush();
                } catch (IOException e) {
                    // the server stopped reading; its answer is what counts
                }
            });
            byte[] raw = readAll(socket.getInputStream());
            writing.exceptionally(t -> null);
            return parse(raw);
        } catch (IOException e) {
            throw new IllegalStateException("No HTTP answer: " + e, e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                buffer.write(chunk, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset after the answer arrived (the server closed with our request unread) ends the answer
            if (buffer.size() == 0) {
                throw e;
            }
        }
        return buffer.toByteArray();
    }

    private static Answer parse(byte[] raw) {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (end < 0) {
            throw new IllegalStateException("Incomplete HTTP answer: " + new String(raw, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(status, headers, body);
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (pos < body.length) {
            int lineEnd = indexOf(java.util.Arrays.copyOfRange(body, pos, body.length), "\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(body, pos, lineEnd, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            pos += lineEnd + 2;
            if (size == 0) {
                break;
            }
            out.write(body, pos, Math.min(size, body.length - pos));
            pos += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
