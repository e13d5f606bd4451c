package org.jxenbus.xenstore.api.watch;

import org.jxenbus.xenstore.api.XenstoreService;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes watch services over a connection; found with {@link java.util.ServiceLoader} (the plain-Java
 * facade's {@code Xenstore.watches}). Thread-safe.
 */
@ProviderType
public interface WatchServiceFactory {

    /** A watch service using {@code store}'s raw watches and reads. */
    OwnedWatchService open(XenstoreService store, WatchOptions options);
}
