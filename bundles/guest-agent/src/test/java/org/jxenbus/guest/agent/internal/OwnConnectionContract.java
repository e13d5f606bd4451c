package org.jxenbus.guest.agent.internal;

import org.jxenbus.xenstore.api.XenstoreConnection;
import org.junit.jupiter.api.AfterAll;

/**
 * The contract with the agent as a guest runs it: on domain {@value Toolstack#DOMID}'s own connection, relative
 * paths. Writes are counted by that connection's request metrics. Subclasses open both connections.
 */
abstract class OwnConnectionContract extends GuestAgentContract {

    XenstoreConnection dom0;
    XenstoreConnection guest;

    @AfterAll
    void disconnect() {
        guest.close();
        dom0.close();
    }

    @Override
    XenstoreConnection toolstackConnection() {
        return dom0;
    }

    @Override
    XenstoreConnection agentConnection() {
        return guest;
    }

    @Override
    DomainHome home() {
        return DomainHome.relative();
    }

    @Override
    long writeRequests() {
        return guest.metrics().requestsByType().getOrDefault("WRITE", 0L);
    }
}
