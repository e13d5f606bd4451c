/**
 * The server end of xenstore rings, what xenstored does with a domain's ring: map its page, bind its event
 * channel, consume requests and produce replies. {@link org.jxenbus.transport.ring.server.RingServer} serves
 * any number of rings from one I/O thread; a {@link org.jxenbus.transport.ring.server.RingRequestHandler}
 * (the simulator) answers. Where pages and event channels come from is a
 * {@link org.jxenbus.transport.ring.server.DomainRings}: the fake hypervisor's files, or the real devices.
 */
@Export
@Version("1.0.0")
package org.jxenbus.transport.ring.server;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
