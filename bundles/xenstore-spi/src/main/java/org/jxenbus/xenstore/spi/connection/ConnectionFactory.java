package org.jxenbus.xenstore.spi.connection;

import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.spi.transport.Transport;

import org.osgi.annotation.versioning.ProviderType;

/** Builds a multiplexed connection over an open transport. Thread-safe. */
@ProviderType
public interface ConnectionFactory {

    /**
     * Wraps {@code transport}; the connection owns it from now on and closes it when closed. Starts no
     * thread until the first request.
     */
    XenstoreConnection open(Transport transport, ConnectionOptions options);

    /**
     * Opens a connection whose transports come from {@code source}: the first now (its failure is thrown),
     * later ones when a transport is lost and {@link ConnectionOptions#reconnect()} is on.
     *
     * @throws java.io.IOException if the first transport cannot be opened
     */
    XenstoreConnection open(TransportSource source, ConnectionOptions options) throws java.io.IOException;
}
