/**
 * The xenstore ring: a {@link org.jxenbus.xenstore.spi.ring.SharedPage} holding
 * {@code struct xenstore_domain_interface}, an {@link org.jxenbus.xenstore.spi.ring.EventChannels} device to
 * kick the peer, and {@link org.jxenbus.xenstore.spi.ring.XenstoreRing}, the index arithmetic, memory
 * ordering and notification rules written once for both ends (docs/misc/xenstore-ring.txt, Linux
 * xenbus_comms.c, xenstored domain.c). Page and event channel implementations live in transport bundles
 * (the fake hypervisor's files and FIFOs, the real /dev/xen devices); servers such as the simulator use
 * the same classes for the other end.
 */
@Export
@Version("1.0.0")
package org.jxenbus.xenstore.spi.ring;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
