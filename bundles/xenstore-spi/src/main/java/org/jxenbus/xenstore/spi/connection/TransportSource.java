package org.jxenbus.xenstore.spi.connection;

import java.io.IOException;

import org.jxenbus.xenstore.spi.transport.Transport;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where a connection gets its transports: once when it opens, and again whenever the one it has is lost
 * (the daemon restarted, the transport bundle was updated, a ring was reset). Every transport it gives must
 * lead to the same store: a source never hands out a transport to another store (and the embedded
 * simulator never replaces a real xenstore).
 */
@ConsumerType
public interface TransportSource {

    /**
     * Opens a transport. Called on the connection's I/O thread (or the opener's, the first time), again after
     * a failure with backoff; may block while connecting.
     *
     * @throws IOException if none can be opened now
     */
    Transport open() throws IOException;

    /** What store this leads to, for logs. */
    String describe();
}
