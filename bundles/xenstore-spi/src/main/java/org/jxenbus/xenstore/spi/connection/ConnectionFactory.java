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
}
