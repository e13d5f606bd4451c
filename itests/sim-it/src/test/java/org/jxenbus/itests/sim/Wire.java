package org.jxenbus.itests.sim;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportProvider;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.XsMessage;

/**
 * A raw connection for the tests: whole messages over any jxenbus transport ({@code unix:},
 * {@code ring:fake:}, {@code sim:}), driven by the calling thread in the Transport contract's way (it is the
 * transport's one I/O thread). Not thread-safe.
 */
final class Wire implements AutoCloseable {

    private final String name;
    private final Transport transport;
    private final Deque<XsMessage> received = new ArrayDeque<>();

    private Wire(String name, Transport transport) {
        this.name = name;
        this.transport = transport;
    }

    /** Opens {@code uri} through the transport module that accepts it. */
    static Wire open(String name, URI uri) throws IOException {
        for (TransportProvider p : ServiceLoader.load(TransportProvider.class)) {
            if (p.accepts(uri)) {
                return new Wire(name, p.open(uri));
            }
        }
        if ("sim".equals(uri.getScheme())) {
            // built in the reactor without packaging, the module's classes carry no ServiceLoader file
            return new Wire(name, new org.jxenbus.xenstore.sim.internal.frontend.SimTransportProvider().open(uri));
        }
        throw new IOException("no transport for " + uri);
    }

    String name() {
        return name;
    }

    /** Writes one whole message. */
    void send(XsMessage m) throws IOException {
        XsMessage[] one = {m};
        boolean done = transport.write(() -> {
            XsMessage x = one[0];
            one[0] = null;
            return x;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done) {
            if (System.nanoTime() > deadline) {
                throw new IOException(name + ": could not write " + m + " within 10 s");
            }
            transport.await(true, TimeUnit.MILLISECONDS.toNanos(20));
            done = transport.write(() -> null);
        }
    }

    /** The next message received within {@code timeoutMillis}, or null. */
    XsMessage receive(long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            XsMessage m = received.poll();
            if (m != null) {
                return m;
            }
            try {
                transport.read(received::add);
            } catch (MalformedMessageException e) {
                throw new IOException(name + ": " + e.getMessage(), e);
            }
            if (!received.isEmpty()) {
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            transport.await(false, Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
        }
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String toString() {
        return name + " (" + transport.info().uri() + ")";
    }
}
