package org.jxenbus.guest.agent.internal;

import java.io.IOException;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract against the real xenstored, the agent on domain 5's own unprivileged ring. */
@ExtendWith(XenstoredExtension.class)
class XenstoredGuestRingTest extends OwnConnectionContract {

    @BeforeAll
    void connect(FakeXenHost host) throws IOException {
        host.introduceGuest(Toolstack.DOMID, 7);
        dom0 = Xenstore.open(host.socketUri());
        guest = Xenstore.open(host.guestRingUri(Toolstack.DOMID));
    }
}
