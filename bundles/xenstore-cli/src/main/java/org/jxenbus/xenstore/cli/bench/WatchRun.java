package org.jxenbus.xenstore.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.RawWatchListener;
import org.jxenbus.xenstore.api.WatchEvent;
import org.jxenbus.xenstore.api.XenstoreService;

/**
 * Watch events delivered per second: one connection (the watcher) holds {@code watches} raw watches, of
 * which {@code fanout} are on {@code <base>/hot} and the rest on {@code <base>/idle/w<k>}, which nothing
 * writes; a {@link LoadRun} of writes on another connection (the writer) then writes {@code <base>/hot/t<i>/<k>}
 * from N threads (thread i cycling through {@value LoadRun#WATCHED_CHILDREN} children k, so that no event
 * repeats one the watcher has not read yet, which xenstored would drop), so each write fires {@code fanout}
 * events. The idle watches cost the server a scan per write and the client a larger token table; with the
 * same dispatch CPU per event for 10 and 10,000 watches, dispatch is flat in the number of watches.
 *
 * <p>The writers are paced: they wait while more than {@value #BACKLOG} events are written but not yet
 * delivered, so the rate is what server and watcher sustain together. The measured interval is fenced by a
 * write of {@code <base>/hot/sync} on each side: events arrive in the server's order, so when its events are
 * in, every event of the writes before it is too. The events counted
 * are those between the two fences; the interval ends when the last of the second fence's events is
 * delivered. Events reach the listener on the watcher's I/O thread (the raw primitive); that thread's CPU
 * time over the interval, per event, is the dispatch cost (reading, decoding, routing by token, the
 * listener's count).
 *
 * <p>Not thread-safe: one run at a time. The watches end when the caller closes the watcher connection.
 */
public final class WatchRun {

    /** How long a fence's events may take to arrive: the server scans every watch on each write. */
    private static final long FENCE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

    /**
     * Events written but not yet delivered at most: a writer waits while more are. Without a bound, writers
     * outrunning the watcher grow xenstored's queue of unsent events, and xenstored 4.17 compares each new
     * event with the queued ones (XSA-326: it drops one identical to a queued one); in a trial without the
     * bound it ran at full CPU for minutes without answering.
     */
    private static final int BACKLOG = 512;

    private final XenstoreService watcher;
    private final XenstoreService writer;
    private final BenchSettings settings;
    private final String base;

    /**
     * @param watcher the connection that holds the watches; nothing else should use it meanwhile
     * @param writer the connection the writes go through
     * @param base a path of the run's own; it and everything under it are removed at the end
     */
    public WatchRun(XenstoreService watcher, XenstoreService writer, BenchSettings settings, String base) {
        this.watcher = watcher;
        this.writer = writer;
        this.settings = settings;
        this.base = base;
    }

    /**
     * Sets the watches, runs the writes and removes the nodes.
     *
     * @return the report: the writes' figures, then the watch lines, {@code req/s} (writes per second) last
     * @throws RuntimeException a write's or a watch's failure, or {@link IllegalStateException} if a fence's
     *         events did not arrive in time
     * @throws InterruptedException if interrupted while waiting
     */
    public String run() throws InterruptedException {
        String hot = base + "/hot";
        HotListener listener = new HotListener(hot + "/sync", settings.fanout());
        try {
            long setupStart = System.nanoTime();
            RawWatchListener idle = e -> {
            };
            for (int k = 0; k < settings.watches() - settings.fanout(); k++) {
                watcher.watch(base + "/idle/w" + k, idle);
            }
            for (int f = 0; f < settings.fanout(); f++) {
                watcher.watch(hot, listener);
            }
            double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
            LoadResult writes = new LoadRun(writer, settings, hot, listener).run();
            long events = listener.measuredEvents();
            long interval = listener.intervalNanos();
            return writes.report(String.format(Locale.ROOT,
                    "watches=%d fanout=%d setup_s=%.3f%nevents=%d events_per_write=%.2f"
                            + " dispatch_cpu_us_per_event=%.2f%nevents/s=%.1f%n",
                    settings.watches(), settings.fanout(), setupSeconds, events, (double) events / settings.requests(),
                    listener.dispatchCpuNanos() < 0 ? -1 : listener.dispatchCpuNanos() / 1e3 / events,
                    events * 1e9 / interval));
        } finally {
            try {
                writer.rm(base);
            } catch (NoSuchNodeException e) {
                // nothing was written
            }
        }
    }

    /**
     * Counts the events of the written nodes on the watcher's I/O thread and fences the measured interval
     * (see the class comment). The fences' waits run on the caller of {@link LoadRun#run}.
     */
    private final class HotListener implements RawWatchListener, LoadRun.Clock {

        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final String fence;
        private final int perWrite;
        private long events; // guarded by this
        private long written;
        private boolean writerWaits;
        private long fenceEvents;
        private long lastFenceNanos;
        private Thread deliverer;
        private Thread startDeliverer;
        private long eventsAtStart;
        private long startNanos;
        private long cpuAtStart;
        private long measuredEvents;
        private long intervalNanos;
        private long dispatchCpuNanos;

        HotListener(String fence, int perWrite) {
            this.fence = fence;
            this.perWrite = perWrite;
        }

        @Override
        public synchronized void watchFired(WatchEvent event) {
            if (event.path().equals(fence)) {
                fenceEvents++;
                lastFenceNanos = System.nanoTime();
                deliverer = Thread.currentThread();
                notifyAll();
            } else {
                events++;
                if (writerWaits && backlog() <= BACKLOG / 2) {
                    writerWaits = false;
                    notifyAll();
                }
            }
        }

        @Override
        public synchronized void operated() throws InterruptedException {
            written++;
            long deadline = System.nanoTime() + FENCE_TIMEOUT_NANOS;
            while (backlog() > BACKLOG) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(backlog() + " events written were not delivered within "
                            + TimeUnit.NANOSECONDS.toSeconds(FENCE_TIMEOUT_NANOS) + " s");
                }
                writerWaits = true;
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /** Events of the writes so far not delivered yet (the nodes' first writes and initial events make it low). */
        private long backlog() {
            return written * perWrite - events;
        }

        @Override
        public void starting() throws InterruptedException {
            Thread t = passFence(1);
            long cpu = cpu(t);
            synchronized (this) {
                startDeliverer = t;
                eventsAtStart = events;
                cpuAtStart = cpu;
                startNanos = System.nanoTime();
            }
        }

        @Override
        public void stopped() throws InterruptedException {
            Thread t = passFence(2);
            long cpuAtEnd = cpu(t);
            synchronized (this) {
                measuredEvents = events - eventsAtStart;
                intervalNanos = lastFenceNanos - startNanos;
                // A new I/O thread (the old one left and another started) would make the difference meaningless.
                dispatchCpuNanos = cpuAtStart < 0 || cpuAtEnd < 0 || t != startDeliverer ? -1 : cpuAtEnd - cpuAtStart;
            }
        }

        /** Writes the fence and waits for all its events (the {@code n}th fence); returns the delivering thread. */
        private Thread passFence(int n) throws InterruptedException {
            writer.write(fence, "x");
            long deadline = System.nanoTime() + FENCE_TIMEOUT_NANOS;
            synchronized (this) {
                while (fenceEvents < (long) n * perWrite) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("the events of fence write " + n + " of " + fence
                                + " did not arrive within " + TimeUnit.NANOSECONDS.toSeconds(FENCE_TIMEOUT_NANOS)
                                + " s (" + fenceEvents + " of " + (long) n * perWrite + ")");
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                return deliverer;
            }
        }

        private long cpu(Thread t) {
            return threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(t.getId()) : -1;
        }

        synchronized long measuredEvents() {
            return measuredEvents;
        }

        synchronized long intervalNanos() {
            return intervalNanos;
        }

        synchronized long dispatchCpuNanos() {
            return dispatchCpuNanos;
        }
    }
}
