package org.jxenbus.xenstore.core.internal;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.spi.connection.ConnectionFactory;
import org.jxenbus.xenstore.spi.connection.TransportSource;
import org.jxenbus.xenstore.spi.transport.Transport;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceProvider;

/** The core's entry point for facades: found through {@link java.util.ServiceLoader}. */
@ServiceProvider(value = ConnectionFactory.class, resolution = Resolution.OPTIONAL)
public final class CoreConnectionFactory implements ConnectionFactory {

    /**
     * Request ids start at a random point, so that even a reply left over from an earlier client of the same
     * ring is unlikely to meet a live id (closing a ring drains it, and connecting skips stale replies).
     */
    @Override
    public XenstoreConnection open(Transport transport, ConnectionOptions options) {
        return new CoreConnection(new Link(null, Objects.requireNonNull(transport, "transport")),
                Objects.requireNonNull(options, "options"), ThreadLocalRandom.current().nextInt());
    }

    @Override
    public XenstoreConnection open(TransportSource source, ConnectionOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        Transport first = Objects.requireNonNull(source, "source").open();
        return new CoreConnection(new Link(source, first), options, ThreadLocalRandom.current().nextInt());
    }
}
