package org.jxenbus.xenstore.core.internal;

import java.io.IOException;

import org.jxenbus.xenstore.spi.connection.TransportSource;
import org.jxenbus.xenstore.spi.transport.Transport;

/**
 * The connection's current transport and where its next one comes from. Each transport (and each in-place
 * reset of one) is a new server session, numbered: what the server keeps per connection (watches,
 * transactions) belongs to a session. Replaced only on the I/O thread or while it is stopped; read anywhere.
 */
final class Link {

    private final TransportSource source;
    private volatile Transport transport;
    private volatile int session;

    Link(TransportSource source, Transport first) {
        this.source = source;
        this.transport = first;
    }

    Transport transport() {
        return transport;
    }

    /** The current session's number. */
    int session() {
        return session;
    }

    /** Closes the current transport and opens the next one from the source: a new session. */
    void replace() throws IOException {
        Transport old = transport;
        old.close();
        transport = source.open();
        session++;
    }

    /** The server reset the session in place (ring reconnection): same transport, new session. */
    void resetInPlace() {
        session++;
    }

    /** Whether a replacement can be had at all. */
    boolean replaceable() {
        return source != null;
    }

    String describeSource() {
        return source == null ? transport.info().uri() : source.describe();
    }
}
