package org.jxenbus.guest.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Test;

/**
 * The ground moving: xenstored killed and restarted empty, the agent's connection replaced by the core, the
 * watches set again. The agent republishes at once (its watch fires again), long before its next refresh is due,
 * comparing with the new store (which has none of its nodes), not with what it wrote before.
 */
class ResumeTest {

    @Test
    void afterTheConnectionIsReplacedEverythingIsRepublishedAtOnce() throws Exception {
        try (FakeXenHost host = FakeXenHost.start();
                XenstoreConnection dom0 = Xenstore.open(host.socketUri());
                XenstoreConnection agentSide = Xenstore.open(host.socketUri())) {
            host.introduceGuest(Toolstack.DOMID, 7);
            Toolstack toolstack = new Toolstack(dom0);
            toolstack.createDomain();
            toolstack.plugVif("0", FakeFacts.MAC_VIF0);
            DomainHome home = new DomainHome(Toolstack.HOME);
            try (GuestAgent agent = new GuestAgent(agentSide, FakeFacts.standard(), new StoreVifDevices(agentSide, home),
                    home, Duration.ofHours(1), new TestClock())) {
                agent.start();
                GuestAgentContract.await(() -> agent.publications() >= 1, "the first publication");

                host.kill();
                host.restart(); // a new, empty store: only a republication from scratch fills it
                GuestAgentContract.await(() -> exists(dom0, Toolstack.HOME + "/" + Pinned.UPDATED),
                        "republished after the connection was replaced, the next refresh being an hour away");
                assertEquals("1048576", dom0.read(Toolstack.HOME + "/" + Pinned.MEMINFO_FREE));
                assertEquals("Debian GNU/Linux 12 (bookworm)", dom0.read(Toolstack.HOME + "/" + Pinned.OS_NAME));
            }
        }
    }

    private static boolean exists(XenstoreConnection xs, String path) {
        try {
            xs.read(path);
            return true;
        } catch (NoSuchNodeException e) {
            return false;
        }
    }
}
