package org.jxenbus.xenstore.watch.internal.osgi;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jxenbus.xenstore.api.watch.Condition;
import org.jxenbus.xenstore.api.watch.Watch;
import org.jxenbus.xenstore.api.watch.WatchListener;
import org.jxenbus.xenstore.api.watch.WatchService;
import org.jxenbus.xenstore.api.watch.WatchStatistics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * {@link WatchService} for one consumer bundle (bundle scope) over the shared one: when the bundle stops or
 * releases the service, its listeners are removed (a server watch nobody else needs is removed with them),
 * while other bundles' listeners of the same paths go on.
 */
@Component(service = WatchService.class, scope = ServiceScope.BUNDLE)
public final class BundleWatchService implements WatchService {

    private final SharedWatches shared;
    private final Set<Watch> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean released = new AtomicBoolean();

    /** A view of the shared watch service. */
    @Activate
    public BundleWatchService(@Reference SharedWatches shared) {
        this.shared = shared;
    }

    @Override
    public Watch watch(String path, WatchListener listener) {
        return track(shared.service().watch(path, listener));
    }

    @Override
    public Watch watch(String path, int depth, WatchListener listener) {
        return track(shared.service().watch(path, depth, listener));
    }

    private Watch track(Watch w) {
        Watch tracked = new Watch() {
            @Override
            public String path() {
                return w.path();
            }

            @Override
            public void close() {
                open.remove(this);
                w.close();
            }
        };
        open.add(tracked);
        if (released.get()) {
            tracked.close();
            throw new IllegalStateException("this watch service was released");
        }
        return tracked;
    }

    @Override
    public <T> T waitFor(Condition<T> condition, Duration timeout) {
        return shared.service().waitFor(condition, timeout);
    }

    @Override
    public WatchStatistics statistics() {
        return shared.service().statistics();
    }

    /** Listeners of this bundle now. */
    int listeners() {
        return open.size();
    }

    @Deactivate
    void deactivate() {
        released.set(true);
        for (Watch w : Set.copyOf(open)) {
            w.close();
        }
    }
}
