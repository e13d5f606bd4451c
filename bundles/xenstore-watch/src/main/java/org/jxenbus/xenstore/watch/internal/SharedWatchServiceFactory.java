package org.jxenbus.xenstore.watch.internal;

import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.watch.OwnedWatchService;
import org.jxenbus.xenstore.api.watch.WatchOptions;
import org.jxenbus.xenstore.api.watch.WatchServiceFactory;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceProvider;

/** The watch service for plain Java, found with {@link java.util.ServiceLoader}. */
@ServiceProvider(value = WatchServiceFactory.class, resolution = Resolution.OPTIONAL)
public final class SharedWatchServiceFactory implements WatchServiceFactory {

    @Override
    public OwnedWatchService open(XenstoreService store, WatchOptions options) {
        return new SharedWatchService(store, options);
    }
}
