/**
 * The transport SPI: how the core moves whole xenstore messages over a socket, a kernel device or a ring.
 *
 * <p>A {@link org.jxenbus.xenstore.spi.transport.TransportProvider} opens
 * {@link org.jxenbus.xenstore.spi.transport.Transport}s for URIs it accepts. A transport is driven by
 * exactly one I/O thread that the core owns (the seed's {@code xenbus} thread): that thread alone calls
 * {@code write}, {@code read} and {@code await}; any thread may call {@code wakeup} and {@code close}.
 * Transports never start threads for message flow and never depend on the core.
 */
@Export
@Version("1.2.0")
package org.jxenbus.xenstore.spi.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
