package org.jxenbus.xenstore.sim;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportProvider;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * A test client speaking whole messages to a simulator through its {@code sim:} transport, one request at a
 * time, keeping watch events aside. Replies are rendered as text: {@code OK}, {@code ERR ENOENT},
 * NUL bytes as {@code |}. Not thread-safe.
 */
final class RawClient implements AutoCloseable {

    private final Transport transport;
    private final Deque<XsMessage> received = new ArrayDeque<>();
    private final List<String> events = new ArrayList<>();
    private int reqId = 100;

    RawClient(URI uri) throws IOException {
        TransportProvider p = null;
        for (TransportProvider t : ServiceLoader.load(TransportProvider.class)) {
            if (t.accepts(uri)) {
                p = t;
            }
        }
        if (p == null) {
            p = new org.jxenbus.xenstore.sim.internal.frontend.SimTransportProvider();
        }
        transport = p.open(uri);
    }

    /** Sends a request and renders its reply. */
    String call(XsMessageType type, int txId, byte[] payload) throws IOException {
        return render(request(type, txId, payload));
    }

    String call(XsMessageType type, String... parts) throws IOException {
        return call(type, 0, bytes(parts));
    }

    String callTx(int txId, XsMessageType type, String... parts) throws IOException {
        return call(type, txId, bytes(parts));
    }

    XsMessage request(XsMessageType type, int txId, byte[] payload) throws IOException {
        return request(type.code(), txId, payload);
    }

    XsMessage request(int type, int txId, byte[] payload) throws IOException {
        int id = reqId++;
        XsMessage[] one = {new XsMessage(type, id, txId, payload)};
        transport.write(() -> {
            XsMessage m = one[0];
            one[0] = null;
            return m;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            readAvailable();
            for (XsMessage m; (m = received.poll()) != null;) {
                if (m.type() == XsMessageType.XS_WATCH_EVENT.code()) {
                    events.add(text(m.payload()));
                } else if (m.reqId() == id) {
                    return m;
                }
            }
            transport.await(false, TimeUnit.MILLISECONDS.toNanos(50));
        }
        throw new IOException("no reply to " + XsMessageType.nameOf(type));
    }

    private void readAvailable() throws IOException {
        try {
            transport.read(received::add);
        } catch (org.jxenbus.xenstore.spi.wire.MalformedMessageException e) {
            throw new IOException(e);
        }
    }

    /**
     * Watch events received so far (path|token|), cleared: a request is sent first and its reply awaited,
     * so every event queued before it has arrived (the server answers in order).
     */
    List<String> events() throws IOException {
        request(XsMessageType.XS_GET_DOMAIN_PATH, 0, bytes("0"));
        List<String> out = new ArrayList<>(events);
        events.clear();
        return out;
    }

    static String render(XsMessage m) {
        String t = text(m.payload());
        return m.type() == XsMessageType.XS_ERROR.code() ? "ERR " + t.replace("|", "") : t;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).replace('\0', '|');
    }

    static byte[] bytes(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append(p).append('\0');
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A WRITE payload: path, NUL, value without NUL. */
    static byte[] pathValue(String path, String value) {
        return (path + '\0' + value).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        transport.close();
    }
}
