/**
 * How a facade or a runtime obtains a multiplexed connection from the core without depending on it: the
 * core provides a {@link org.jxenbus.xenstore.spi.connection.ConnectionFactory} through
 * {@link java.util.ServiceLoader} (and later as a service).
 */
@Export
@Version("1.0.0")
package org.jxenbus.xenstore.spi.connection;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
