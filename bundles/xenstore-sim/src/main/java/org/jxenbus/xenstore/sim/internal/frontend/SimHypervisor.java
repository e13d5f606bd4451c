package org.jxenbus.xenstore.sim.internal.frontend;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jxenbus.xenstore.sim.internal.engine.Connection;
import org.jxenbus.xenstore.sim.internal.engine.Hypervisor;

/**
 * The simulator's hypervisor. Domains exist once created through the API (or by a client connecting as
 * one, {@code sim:NAME?domid=N}) and stay until destroyed through the API, as a fake-hypervisor domain stays
 * while its ring file does; INTRODUCE of such a domain gives it a connection without a ring, used from the
 * same JVM. Serving rings on a fake-hypervisor folder, domain N also exists while {@code D/dom<N>.ring}
 * does, and INTRODUCE maps that ring. INTRODUCE of a domain the hypervisor does not know fails with ENOENT,
 * as with the C xenstored on the shim. Thread-safe.
 */
final class SimHypervisor implements Hypervisor {

    private final Set<Integer> created = ConcurrentHashMap.newKeySet();
    private volatile RingHost rings;

    void create(int domid) {
        created.add(domid);
    }

    @Override
    public void created(int domid) {
        create(domid);
    }

    void destroy(int domid) {
        created.remove(domid);
    }

    void rings(RingHost host) {
        rings = host;
    }

    RingHost rings() {
        return rings;
    }

    @Override
    public boolean domainExists(int domid) {
        RingHost r = rings;
        return domid == 0 || created.contains(domid) || (r != null && r.domainExists(domid));
    }

    @Override
    public RingAttachment attachRing(int domid, int port, Connection conn) throws XsErrorException {
        RingHost r = rings;
        if (r != null && r.domainExists(domid)) {
            return r.attach(domid, port, conn);
        }
        if (domid == 0 || created.contains(domid)) {
            return null;
        }
        throw new XsErrorException("ENOENT", "no domain " + Integer.toUnsignedString(domid));
    }
}
