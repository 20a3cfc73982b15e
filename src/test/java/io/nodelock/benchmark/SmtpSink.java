package io.nodelock.benchmark;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's SMTP sink, run as its own JVM by {@link BenchmarkRun}: a minimal SMTP server on 127.0.0.1 that
 * accepts every message and discards it. For each message it stamps the wall-clock time at which the terminating
 * {@code .} line arrived (the moment the relay has the whole mail, just before it answers 250) and announces
 * {@code <serial> <outbox-id> <epoch-micros>} on its event port, where the load generator listens. The serial is the
 * {@code SN:} part of the UDI in the subject ("Your license for SKU on PID:...,SN:BENCH0000001"), which the load
 * generator chose; the outbox id comes from the {@code X-Nodelock-Outbox-Id} header.
 *
 * <p>Plain sockets, no mail library: the sink should cost little CPU and add no latency of its own. It advertises no
 * extensions (no AUTH, no STARTTLS, no PIPELINING), which Jakarta Mail handles as a plain SMTP server.
 *
 * <p>Usage: {@code SmtpSink --port-file FILE}; writes "smtpPort eventPort" to FILE once listening.
 */
public final class SmtpSink {

    private static final Pattern SERIAL = Pattern.compile("SN:([A-Za-z0-9]+)");
    private static final int MAX_LINE = 1 << 20;

    private final List<OutputStream> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    private SmtpSink() {
    }

    public static void main(String[] args) throws Exception {
        Path portFile = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port-file") && i + 1 < args.length) {
                portFile = Path.of(args[++i]);
            }
        }
        if (portFile == null) {
            throw new IllegalArgumentException("usage: SmtpSink --port-file FILE");
        }
        new SmtpSink().run(portFile);
    }

    private void run(Path portFile) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        ServerSocket smtp = new ServerSocket(0, 200, loopback);
        ServerSocket events = new ServerSocket(0, 10, loopback);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                System.out.printf(Locale.ROOT, "sink: %d messages, %d bytes received%n", messages.get(), bytes.get())));
        Thread eventAcceptor = new Thread(() -> {
            while (true) {
                try {
                    Socket s = events.accept();
                    s.setTcpNoDelay(true);
                    subscribers.add(s.getOutputStream());
                } catch (IOException e) {
                    return;
                }
            }
        }, "sink-events");
        eventAcceptor.setDaemon(true);
        eventAcceptor.start();
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, smtp.getLocalPort() + " " + events.getLocalPort());
        Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf(Locale.ROOT, "sink: SMTP on 127.0.0.1:%d, events on 127.0.0.1:%d%n", smtp.getLocalPort(), events.getLocalPort());
        while (true) {
            Socket s = smtp.accept();
            Thread t = new Thread(() -> session(s), "sink-smtp");
            t.setDaemon(true);
            t.start();
        }
    }

    private void session(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
             OutputStream out = socket.getOutputStream()) {
            socket.setTcpNoDelay(true);
            reply(out, "220 nodelock-bench-sink ESMTP");
            String line;
            while ((line = readLine(in)) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO", "HELO" -> reply(out, "250 nodelock-bench-sink");
                    case "DATA" -> {
                        reply(out, "354 end with <CRLF>.<CRLF>");
                        data(in);
                        reply(out, "250 2.0.0 accepted");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "250 ok"); // MAIL, RCPT, RSET, NOOP
                }
            }
        } catch (IOException e) {
            // client went away
        }
    }

    /** Reads a message up to the lone dot; stamps and announces it. */
    private void data(InputStream in) throws IOException {
        StringBuilder headers = new StringBuilder();
        boolean inHeaders = true;
        long size = 0;
        String line;
        while ((line = readLine(in)) != null) {
            if (line.equals(".")) {
                long micros = nowMicros();
                messages.incrementAndGet();
                bytes.addAndGet(size);
                announce(headers.toString(), micros);
                return;
            }
            size += line.length() + 2;
            if (inHeaders) {
                if (line.isEmpty()) {
                    inHeaders = false;
                } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                    headers.append(line); // folded header: continue the previous one
                } else {
                    headers.append('\n').append(line);
                }
            }
        }
        throw new IOException("connection closed inside DATA");
    }

    private void announce(String headers, long micros) {
        String serial = "-";
        String outboxId = "-";
        for (String h : headers.split("\n")) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("subject:")) {
                Matcher m = SERIAL.matcher(h);
                if (m.find()) {
                    serial = m.group(1);
                }
            } else if (lower.startsWith("x-nodelock-outbox-id:")) {
                outboxId = h.substring(h.indexOf(':') + 1).trim();
            }
        }
        byte[] event = (serial + " " + outboxId + " " + micros + "\n").getBytes(StandardCharsets.US_ASCII);
        for (OutputStream s : subscribers) {
            try {
                synchronized (s) {
                    s.write(event);
                    s.flush();
                }
            } catch (IOException e) {
                subscribers.remove(s);
            }
        }
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** A line without its CR LF (ISO-8859-1), or null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = buf.size();
                byte[] b = buf.toByteArray();
                return new String(b, 0, n > 0 && b[n - 1] == '\r' ? n - 1 : n, StandardCharsets.ISO_8859_1);
            }
            if (buf.size() < MAX_LINE) {
                buf.write(c);
            }
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }
}
