/**
 * The watch service: shared server watches fanned out to many listeners, dispatched off the I/O thread
 * with bounded, coalescing per-listener queues, and {@link org.jxenbus.xenstore.api.watch.WatchService#waitFor}
 * to wait for a condition over several nodes.
 */
@Export
@Version("1.0.0")
package org.jxenbus.xenstore.api.watch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
