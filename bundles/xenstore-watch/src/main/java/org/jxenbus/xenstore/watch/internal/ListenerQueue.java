package org.jxenbus.xenstore.watch.internal;

import java.util.Iterator;
import java.util.LinkedHashSet;

import org.jxenbus.xenstore.api.watch.WatchListener;

/**
 * One listener's events waiting for dispatch: bounded, coalescing (a path already queued is not queued
 * again), in order. On overflow the queue is emptied and an overflow mark takes the place of what was
 * dropped, so the listener hears {@code overflowed()} in order with later events. Drained by at most one
 * dispatch thread at a time.
 */
final class ListenerQueue {

    /** Stands in the queue for the events an overflow dropped. */
    private static final String OVERFLOW = new String("overflow");

    private final String path;
    private final int depth;
    private final WatchListener listener;
    private final int capacity;
    private final Dispatcher dispatcher;
    private final Counters counters;
    private final LinkedHashSet<String> pending = new LinkedHashSet<>();
    private boolean scheduled;
    private boolean closed;
    private Thread running;
    private long runningSince;

    ListenerQueue(String path, int depth, WatchListener listener, int capacity, Dispatcher dispatcher,
            Counters counters) {
        this.path = path;
        this.depth = depth;
        this.listener = listener;
        this.capacity = capacity;
        this.dispatcher = dispatcher;
        this.counters = counters;
    }

    /** Queues one event; never blocks (called on the connection's I/O thread). */
    void offer(String eventPath) {
        boolean schedule;
        synchronized (this) {
            if (closed) {
                counters.afterClose.increment();
                return;
            }
            if (!withinDepth(eventPath)) {
                return;
            }
            if (pending.contains(eventPath)) {
                counters.coalesced.increment();
                return;
            }
            if (pending.size() - (pending.contains(OVERFLOW) ? 1 : 0) >= capacity) {
                pending.clear();
                pending.add(OVERFLOW);
                counters.overflows.increment();
            }
            pending.add(eventPath);
            schedule = !scheduled;
            scheduled = true;
        }
        if (schedule) {
            dispatcher.schedule(this);
        }
    }

    private boolean withinDepth(String eventPath) {
        if (depth < 0 || eventPath.equals(path)) {
            return true;
        }
        String below = eventPath.startsWith(path + "/") ? eventPath.substring(path.length() + 1)
                : path.equals("/") && eventPath.startsWith("/") ? eventPath.substring(1) : null;
        if (below == null) {
            return true;
        }
        return below.chars().filter(c -> c == '/').count() < depth;
    }

    /** Delivers queued events one at a time; runs on a dispatch thread. */
    void drain() {
        while (true) {
            String next;
            synchronized (this) {
                Iterator<String> it = pending.iterator();
                if (closed || !it.hasNext()) {
                    scheduled = false;
                    notifyAll();
                    return;
                }
                next = it.next();
                it.remove();
                running = Thread.currentThread();
                runningSince = System.nanoTime();
            }
            try {
                if (next == OVERFLOW) {
                    listener.overflowed();
                } else {
                    listener.changed(next);
                }
                counters.delivered.increment();
            } catch (RuntimeException | Error e) {
                counters.listenerFailures.log("watch listener " + describe() + " threw; it stays registered", e);
            } finally {
                synchronized (this) {
                    running = null;
                    notifyAll();
                }
            }
        }
    }

    /**
     * Stops delivery: queued events are dropped and no callback starts afterwards; one in progress on
     * another thread is waited for.
     */
    void close() {
        synchronized (this) {
            closed = true;
            pending.clear();
            while (running != null && running != Thread.currentThread()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** How long the current callback has run, in nanoseconds; 0 if none runs. */
    /** Events waiting to be delivered to this listener now. */
    synchronized int depth() {
        return pending.size();
    }

    synchronized long runningNanos(long now) {
        return running == null ? 0 : now - runningSince;
    }

    String describe() {
        return listener.getClass().getName() + " on " + path;
    }
}
