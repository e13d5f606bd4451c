package org.jxenbus.xenstore.core.internal;

import java.util.Objects;

import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.spi.connection.ConnectionFactory;
import org.jxenbus.xenstore.spi.transport.Transport;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceProvider;

/** The core's entry point for facades: found through {@link java.util.ServiceLoader}. */
@ServiceProvider(value = ConnectionFactory.class, resolution = Resolution.OPTIONAL)
public final class CoreConnectionFactory implements ConnectionFactory {

    /** Request ids start here; only tests choose another start (to cross the 32-bit wrap). */
    static final int FIRST_REQUEST_ID = 1;

    @Override
    public XenstoreConnection open(Transport transport, ConnectionOptions options) {
        return new CoreConnection(Objects.requireNonNull(transport, "transport"),
                Objects.requireNonNull(options, "options"), FIRST_REQUEST_ID);
    }
}
