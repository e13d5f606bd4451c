package org.jxenbus.xenstore.api.watch;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A {@link WatchService} its opener owns: closing it removes every watch it set and stops its dispatch
 * threads. (Inside OSGi consumers get a bundle-scoped {@link WatchService} and never close it.)
 */
@ProviderType
public interface OwnedWatchService extends WatchService, AutoCloseable {

    /** Closes every watch, waits for callbacks in progress on other threads, stops the threads. Idempotent. */
    @Override
    void close();
}
