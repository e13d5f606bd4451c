package org.jxenbus.xenstore.core.internal.osgi;

import java.net.URI;

import org.jxenbus.xenstore.api.ConnectionStatistics;
import org.jxenbus.xenstore.api.RequestMetrics;
import org.jxenbus.xenstore.api.XenstoreStatus;
import org.jxenbus.xenstore.core.internal.ManagedConnection;

/**
 * The runtime's shared connection once a store is chosen and connected: registered (under this class, for
 * the core's own components, and as {@link XenstoreStatus}) for as long as that connection lives.
 * Public only for Declarative Services; the package is not exported. Thread-safe.
 */
public final class ConnectedStore implements XenstoreStatus {

    private final ManagedConnection connection;
    private final ProviderTransportSource source;
    private final boolean simulated;

    ConnectedStore(ManagedConnection connection, ProviderTransportSource source, boolean simulated) {
        this.connection = connection;
        this.source = source;
        this.simulated = simulated;
    }

    ManagedConnection managed() {
        return connection;
    }

    @Override
    public String store() {
        URI target = source.target();
        return target == null ? "" : target.toString();
    }

    @Override
    public String transport() {
        URI target = source.target();
        return target == null ? "" : target.getScheme();
    }

    @Override
    public boolean simulated() {
        return simulated;
    }

    @Override
    public long transportSwaps() {
        return connection.transportReplacements();
    }

    @Override
    public ConnectionStatistics statistics() {
        return connection.connection().statistics();
    }

    @Override
    public RequestMetrics metrics() {
        return connection.connection().metrics();
    }

    @Override
    public String toString() {
        return "ConnectedStore[" + store() + (simulated ? ", simulated" : "") + "]";
    }
}
