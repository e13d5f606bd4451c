package org.jxenbus.xenstore.watch.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dispatch threads ({@code xenstore-watch-dispatch-N}): at most {@code threads} of them, started on
 * demand and gone after 30 s without work. Each listener queue has at most one drain task queued or
 * running, so the task queue is bounded by the number of listeners.
 *
 * <p>The rule: a listener whose callback blocks holds one thread; while fewer than {@code threads} are held
 * every other listener is dispatched at once; when all are held, further drain tasks wait for a thread,
 * each such wait is counted, and a rate-limited warning names the listener blocked longest.
 */
final class Dispatcher {

    private static final AtomicLong POOLS = new AtomicLong();

    private final ThreadPoolExecutor pool;
    private final int threads;
    private final long blockedNanos;
    private final Counters counters;
    private final Set<ListenerQueue> draining = ConcurrentHashMap.newKeySet();
    private final AtomicInteger busy = new AtomicInteger();

    Dispatcher(int threads, long blockedNanos, Counters counters) {
        this.threads = threads;
        this.blockedNanos = blockedNanos;
        this.counters = counters;
        long pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "xenstore-watch-dispatch-" + pool + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.pool.allowCoreThreadTimeOut(true);
    }

    void schedule(ListenerQueue q) {
        if (busy.get() >= threads) {
            counters.dispatchWaits.increment();
            ListenerQueue longest = longestRunning();
            counters.blocked.log("all " + threads + " watch dispatch threads are busy; events wait"
                    + (longest == null ? "" : "; blocked longest: " + longest.describe()), null);
        }
        pool.execute(() -> {
            busy.incrementAndGet();
            draining.add(q);
            try {
                q.drain();
            } finally {
                draining.remove(q);
                busy.decrementAndGet();
            }
        });
    }

    /** Listeners whose current callback has run longer than the blocked threshold. */
    int blocked() {
        long now = System.nanoTime();
        int n = 0;
        for (ListenerQueue q : draining) {
            if (q.runningNanos(now) >= blockedNanos) {
                n++;
            }
        }
        return n;
    }

    private ListenerQueue longestRunning() {
        long now = System.nanoTime();
        ListenerQueue longest = null;
        long most = 0;
        for (ListenerQueue q : draining) {
            long ran = q.runningNanos(now);
            if (ran > most) {
                most = ran;
                longest = q;
            }
        }
        return longest;
    }

    /** Threads alive now. */
    int threadCount() {
        return pool.getPoolSize();
    }

    void shutdown() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
