/**
 * The xenstore client API: what management agents use.
 *
 * <p>{@link org.jxenbus.xenstore.api.XenstoreService} is the entry point. Every method is thread-safe;
 * many threads may share one service and their requests are multiplexed on one connection.
 * Errors are unchecked {@link org.jxenbus.xenstore.api.XenstoreException}s that keep the server's
 * raw error name.
 */
@Export
@Version("1.1.0")
package org.jxenbus.xenstore.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
