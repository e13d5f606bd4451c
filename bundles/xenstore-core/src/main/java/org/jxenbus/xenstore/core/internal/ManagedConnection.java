package org.jxenbus.xenstore.core.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.spi.connection.TransportSource;

/**
 * A connection owned by a runtime (the OSGi component): the connection itself plus what only its owner
 * does, a planned switch to the source's next transport and a count of replacements. Public only for the
 * core's own runtime package; the package is not exported. Thread-safe.
 */
public final class ManagedConnection implements AutoCloseable {

    private static final Logger LOG = System.getLogger(ManagedConnection.class.getName());

    private final CoreConnection connection;
    private final Link link;
    private final AtomicLong plannedSwitches = new AtomicLong();

    private ManagedConnection(CoreConnection connection, Link link) {
        this.connection = connection;
        this.link = link;
    }

    /**
     * Opens a connection over {@code source}'s first transport, replaced from the same source whenever it is
     * lost.
     *
     * @throws IOException if the first transport cannot be opened
     */
    public static ManagedConnection open(TransportSource source, ConnectionOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        Link link = new Link(source, Objects.requireNonNull(source, "source").open());
        return new ManagedConnection(new CoreConnection(link, options, ThreadLocalRandom.current().nextInt()), link);
    }

    /** The connection. */
    public XenstoreConnection connection() {
        return connection;
    }

    /**
     * Moves to the source's next transport without losing a request: suspends (requests of open transactions
     * are still sent for {@code transactionGrace}, then those transactions are stale), lets written requests
     * be answered, replaces the transport and sets every watch again before requests flow on. If the new
     * transport cannot be opened, the connection goes on as after a lost transport: it retries with backoff
     * and requests wait within their timeouts.
     */
    public void switchTransport(Duration transactionGrace) {
        connection.suspendControl().suspend(transactionGrace);
        try {
            link.replace();
            plannedSwitches.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "switching the xenstore transport to " + link.describeSource() + " failed ("
                    + e.getMessage() + "); retrying as after a lost connection");
        } finally {
            connection.mux().sessionChanged();
            connection.suspendControl().resume();
        }
    }

    /**
     * Applies {@code options} to the open connection without reconnecting: see
     * {@link CoreConnection#reconfigure}.
     */
    public void reconfigure(ConnectionOptions options) {
        connection.reconfigure(options);
    }

    /** How often the transport was replaced: lost and reopened, or switched. */
    public long transportReplacements() {
        return connection.mux().io().replacements() + plannedSwitches.get();
    }

    @Override
    public void close() {
        connection.close();
    }
}
