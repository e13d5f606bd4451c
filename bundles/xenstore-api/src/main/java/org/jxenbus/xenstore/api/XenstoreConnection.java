package org.jxenbus.xenstore.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A {@link XenstoreService} its opener owns and must close (the plain-Java facade hands these out; inside
 * OSGi consumers get a {@link XenstoreService} from the registry and never close it).
 *
 * <p>Thread-safe. {@link #close()} fails every request still queued or waiting with
 * {@link TransportFailureException}, stops the connection's threads and waits for them to end.
 */
@ProviderType
public interface XenstoreConnection extends XenstoreService, AutoCloseable {

    /** The operations only a privileged (dom0) connection may use. */
    PrivilegedOperations privileged();

    /** What this connection is connected to, for logs: the transport's URI. */
    String describe();

    /** The suspend/resume gate, for embeddings that know the ground is about to move. */
    SuspendControl suspendControl();

    /** Counters of this connection, for monitoring. */
    ConnectionStatistics statistics();

    /** Requests by type, errors by name, timeouts and latency percentiles, for monitoring. */
    RequestMetrics metrics();

    /** Closes the connection; idempotent. */
    @Override
    void close();
}
