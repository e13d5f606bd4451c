package org.jxenbus.guest.agent.internal;

import java.io.IOException;

import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.sim.XenstoreSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract against the embedded simulator ({@code sim:} URIs through {@code Xenstore.open}): the agent as
 * domain 5's client, the toolstack as the privileged one.
 */
class SimulatorGuestTest extends OwnConnectionContract {

    XenstoreSimulator sim;

    @BeforeAll
    void connect() throws IOException {
        sim = XenstoreSimulator.start();
        sim.createDomain(Toolstack.DOMID);
        dom0 = Xenstore.open(sim.uri());
        guest = Xenstore.open(sim.uri(Toolstack.DOMID));
    }

    @AfterAll
    @Override
    void disconnect() {
        super.disconnect();
        sim.close();
    }
}
