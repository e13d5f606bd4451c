/**
 * An embedded xenstore simulator: a xenstored in Java that behaves as the C xenstored 4.17 does wherever a
 * client can tell. {@link org.jxenbus.xenstore.sim.XenstoreSimulator} starts one and serves it in the same
 * JVM ({@code sim:} URIs), on a unix socket, on a fake hypervisor's rings and as a real dom0's xenstore;
 * {@link org.jxenbus.xenstore.sim.SimulatorOptions}, {@link org.jxenbus.xenstore.sim.Profile} and
 * {@link org.jxenbus.xenstore.sim.Quotas} say which xenstored and with what limits. Free of OSGi.
 */
@Export
@Version("1.1.0")
package org.jxenbus.xenstore.sim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
