package org.jxenbus.transport.ring.server;

import java.io.IOException;

import org.jxenbus.xenstore.spi.ring.EventChannels;
import org.jxenbus.xenstore.spi.ring.SharedPage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where a xenstore server finds domains' rings: the page of domain N (dom0's xsd_kva, a guest's grant,
 * a ring file on the fake hypervisor) and the one event-channel device all of them kick.
 */
@ConsumerType
public interface DomainRings extends AutoCloseable {

    /**
     * Maps domain {@code domid}'s ring page.
     *
     * @throws IOException if it cannot be mapped (no such domain, no permission)
     */
    SharedPage mapRing(int domid) throws IOException;

    /**
     * Maps the page a client offered us as grant {@code gref} of domain {@code domid} (a ring it set up
     * with gntalloc rather than its xenstore grant).
     *
     * @throws IOException if it cannot be mapped
     */
    SharedPage mapGrant(int domid, int gref) throws IOException;

    /** The server's event-channel device; one for every ring served. */
    EventChannels eventChannels();

    /** What this host is, for logs. */
    String describe();

    /** Releases the event-channel device. */
    @Override
    void close();
}
