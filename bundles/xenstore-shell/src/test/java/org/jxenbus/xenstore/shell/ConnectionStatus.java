package org.jxenbus.xenstore.shell;

import java.net.URI;

import org.jxenbus.xenstore.api.ConnectionStatistics;
import org.jxenbus.xenstore.api.RequestMetrics;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreStatus;

/**
 * {@link XenstoreStatus} of a connection the test opened with the facade, standing in for the runtime's: the
 * store is what the connection describes, the transport that URI's scheme; never simulated, never swapped.
 *
 * @param connection the test's connection
 */
record ConnectionStatus(XenstoreConnection connection) implements XenstoreStatus {

    @Override
    public String store() {
        return connection.describe();
    }

    @Override
    public String transport() {
        return URI.create(connection.describe()).getScheme();
    }

    @Override
    public boolean simulated() {
        return false;
    }

    @Override
    public long transportSwaps() {
        return 0;
    }

    @Override
    public ConnectionStatistics statistics() {
        return connection.statistics();
    }

    @Override
    public RequestMetrics metrics() {
        return connection.metrics();
    }
}
