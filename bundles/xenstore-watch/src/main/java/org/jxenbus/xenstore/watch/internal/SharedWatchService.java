package org.jxenbus.xenstore.watch.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.watch.Condition;
import org.jxenbus.xenstore.api.watch.OwnedWatchService;
import org.jxenbus.xenstore.api.watch.Watch;
import org.jxenbus.xenstore.api.watch.WatchListener;
import org.jxenbus.xenstore.api.watch.WatchOptions;
import org.jxenbus.xenstore.api.watch.WatchStatistics;

/**
 * The watch service over one connection: one {@link ServerWatch} per watched path, one
 * {@link ListenerQueue} per listener, one {@link Dispatcher}. The watch depth is applied locally (xenstored
 * 4.17 has no depth parameter), so listeners of one path share its server watch whatever their depth.
 */
public final class SharedWatchService implements OwnedWatchService {

    private final XenstoreService store;
    private final WatchOptions options;
    private final Counters counters = new Counters();
    private final Dispatcher dispatcher;
    private final Map<String, ServerWatch> byPath = new ConcurrentHashMap<>();
    private final Map<ListenerWatch, Boolean> open = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A watch service over {@code store}; public for the bundle's OSGi components (the package is not exported). */
    public SharedWatchService(XenstoreService store, WatchOptions options) {
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.dispatcher = new Dispatcher(options.dispatchThreads(), options.blockedThreshold().toNanos(), counters);
    }

    @Override
    public Watch watch(String path, WatchListener listener) {
        return watch(path, -1, listener);
    }

    @Override
    public Watch watch(String path, int depth, WatchListener listener) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(listener, "listener");
        if (closed.get()) {
            throw new IllegalStateException("the watch service is closed");
        }
        ListenerQueue q = new ListenerQueue(path, depth, listener, options.queueCapacity(), dispatcher, counters);
        while (true) {
            ServerWatch sw = byPath.computeIfAbsent(path, p -> new ServerWatch(p, counters));
            boolean joined;
            try {
                joined = sw.join(q, store);
            } catch (RuntimeException | Error e) {
                byPath.remove(path, sw);
                throw e;
            }
            if (joined) {
                ListenerWatch w = new ListenerWatch(path, sw, q);
                open.put(w, Boolean.TRUE);
                return w;
            }
            byPath.remove(path, sw);
        }
    }

    @Override
    public <T> T waitFor(Condition<T> condition, Duration timeout) {
        return new ConditionWait<>(this, store, condition, timeout).run();
    }

    @Override
    public WatchStatistics statistics() {
        int listeners = 0;
        for (ServerWatch sw : byPath.values()) {
            listeners += sw.listenerCount();
        }
        return new WatchStatistics(byPath.size(), listeners, counters.received.sum(), counters.delivered.sum(),
                counters.coalesced.sum(), counters.overflows.sum(), counters.afterClose.sum(),
                counters.dispatchWaits.sum(), dispatcher.blocked());
    }

    /** Events queued for listeners now, all listeners together, and in the deepest queue. */
    public QueueDepths queueDepths() {
        int total = 0;
        int deepest = 0;
        for (ServerWatch sw : byPath.values()) {
            for (ListenerQueue q : sw.listeners()) {
                int d = q.depth();
                total += d;
                deepest = Math.max(deepest, d);
            }
        }
        return new QueueDepths(total, deepest);
    }

    /**
     * Queue depths at one moment.
     *
     * @param total events queued for all listeners
     * @param deepest events queued for the listener with the most
     */
    public record QueueDepths(int total, int deepest) {
    }

    /** Dispatch threads alive now (they leave after 30 s idle). */
    int dispatchThreads() {
        return dispatcher.threadCount();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (ListenerWatch w : open.keySet()) {
            w.close();
        }
        dispatcher.shutdown();
    }

    /** One listener's handle. */
    private final class ListenerWatch implements Watch {
        private final String path;
        private final ServerWatch serverWatch;
        private final ListenerQueue queue;
        private final AtomicBoolean done = new AtomicBoolean();

        ListenerWatch(String path, ServerWatch serverWatch, ListenerQueue queue) {
            this.path = path;
            this.serverWatch = serverWatch;
            this.queue = queue;
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public void close() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            open.remove(this);
            queue.close();
            RawWatch last = serverWatch.leave(queue);
            if (last != null) {
                byPath.remove(path, serverWatch);
                last.close();
            }
        }

        @Override
        public String toString() {
            return "Watch[" + path + "]";
        }
    }
}
