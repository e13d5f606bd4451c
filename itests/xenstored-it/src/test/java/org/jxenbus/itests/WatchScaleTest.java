package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.TestSize;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.watch.OwnedWatchService;
import org.jxenbus.xenstore.api.watch.Watch;
import org.jxenbus.xenstore.api.watch.WatchListener;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The watch service under load, over xenstored's socket: a storm of writes at a sleeping listener (bounded
 * memory, overflow signalled; 1,000,000 writes with -Djxenbus.full=true), and per-event dispatch cost with
 * 10 and with 10,000 watched paths on one connection.
 */
@Tag("transport-specific") // sizes chosen for the socket
@ExtendWith(XenstoredExtension.class)
class WatchScaleTest {

    @Test
    void aStormAtASleepingListenerStaysBoundedAndSignalsOverflow(FakeXenHost host) throws Exception {
        int writes = TestSize.pick(50_000, 1_000_000);
        try (XenstoreConnection xs = Xenstore.open(host.socketUri()); OwnedWatchService watches = Xenstore.watches(xs)) {
            CountDownLatch wake = new CountDownLatch(1);
            AtomicInteger overflows = new AtomicInteger();
            AtomicLong changes = new AtomicLong();
            WatchListener sleeper = new WatchListener() {
                @Override
                public void changed(String path) {
                    changes.incrementAndGet();
                    try {
                        wake.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void overflowed() {
                    overflows.incrementAndGet();
                }
            };
            try (Watch w = watches.watch("/storm", sleeper)) {
                WatchServiceTest.await(() -> changes.get() == 1);
                long before = usedHeap();
                List<CompletableFuture<Void>> window = new ArrayList<>();
                for (int i = 0; i < writes; i++) {
                    window.add(xs.async().write("/storm/k" + (i % 20_000), Integer.toString(i)));
                    if (window.size() == 2_000) {
                        window.forEach(CompletableFuture::join);
                        window.clear();
                    }
                }
                window.forEach(CompletableFuture::join);
                WatchServiceTest.await(() -> watches.statistics().eventsReceived() >= writes + 1);
                long grown = usedHeap() - before;
                var stats = watches.statistics();
                System.out.printf("storm: %d writes at a sleeping listener: heap grew %.1f MiB, %d overflows, "
                        + "%d coalesced, %d received%n", writes, grown / 1048576.0, stats.overflows(),
                        stats.eventsCoalesced(), stats.eventsReceived());
                assertTrue(grown < 32L * 1024 * 1024, "bounded memory: grew " + grown + " bytes");
                assertTrue(stats.overflows() > 0, "the queue overflowed");
                wake.countDown();
                WatchServiceTest.await(() -> overflows.get() > 0);
                assertTrue(changes.get() <= 2 + 1024L * (stats.overflows() + 1), "delivered at most what was kept");
            }
        }
    }

    @Test
    void perEventDispatchCostDoesNotGrowWithTheNumberOfWatchedPaths(FakeXenHost host) throws Exception {
        int events = TestSize.pick(2_000, 20_000);
        try (XenstoreConnection xs = Xenstore.open(host.socketUri()); OwnedWatchService watches = Xenstore.watches(xs)) {
            perEventMicros(xs, watches, 10, events); // warm-up: the JIT compiles the paths measured below
            double[] few = perEventMicros(xs, watches, 10, events);
            double[] many = perEventMicros(xs, watches, 10_000, events);
            System.out.printf("watch dispatch, %d events: with 10 watched paths %.1f us wall, %.2f us CPU of the "
                    + "dispatch threads and %.2f us of the I/O thread per event; with 10,000: %.1f us wall, %.2f us "
                    + "dispatch and %.2f us I/O (dispatch CPU ratio %.2f; the wall time includes xenstored, which "
                    + "scans every watch on each write, writes one at a time)%n", events, few[0], few[1], few[2], many[0], many[1], many[2], many[1] / few[1]);
            assertEquals(0, watches.statistics().serverWatches());
        }
    }

    /**
     * Writes {@code events} times under one watched path while {@code paths} paths are watched; returns wall,
     * dispatch-thread CPU and I/O-thread CPU microseconds per event.
     */
    private static double[] perEventMicros(XenstoreConnection xs, OwnedWatchService watches, int paths, int events)
            throws Exception {
        List<Watch> others = new ArrayList<>();
        AtomicLong othersFired = new AtomicLong();
        for (int i = 0; i < paths - 1; i++) {
            others.add(watches.watch("/scale/other" + i, p -> othersFired.incrementAndGet()));
        }
        AtomicLong seen = new AtomicLong();
        try (Watch target = watches.watch("/scale/target", p -> seen.incrementAndGet())) {
            // Every initial event dispatched first: only the events of the writes below are measured.
            WatchServiceTest.await(() -> seen.get() == 1 && othersFired.get() == paths - 1, UNHURRIED_SECONDS);
            long t0 = System.nanoTime();
            java.util.Map<Long, Long> dispatch0 = threadsCpu(DISPATCH_THREADS);
            java.util.Map<Long, Long> io0 = threadsCpu(IO_THREADS);
            // One write at a time, so that events arrive one by one in both runs: how many arrive per wake-up
            // (which depends on how fast the server is, and xenstored slows down with many watches) changes the
            // CPU per event far more than anything the number of watched paths does.
            for (int i = 0; i < events; i++) {
                xs.write("/scale/target/v" + i, "x");
            }
            WatchServiceTest.await(() -> seen.get() == events + 1, UNHURRIED_SECONDS);
            double micros = (System.nanoTime() - t0) / 1000.0 / events;
            double dispatch = cpuSince(DISPATCH_THREADS, dispatch0) / 1000.0 / events;
            double io = cpuSince(IO_THREADS, io0) / 1000.0 / events;
            xs.rm("/scale/target");
            return new double[] {micros, dispatch, io};
        } finally {
            others.forEach(Watch::close);
        }
    }

    /**
     * This test measures cost, not speed: 10,000 initial events or the last of 20,000 writes scanned against
     * 10,000 watches can take over the usual 10 s on a loaded machine (it did once with the simulator at load 3).
     */
    private static final int UNHURRIED_SECONDS = 60;

    private static final String DISPATCH_THREADS = "xenstore-watch-dispatch-";
    private static final String IO_THREADS = "xenstore-io-";

    /** CPU nanoseconds of the threads named {@code prefix}..., by thread id. */
    private static java.util.Map<Long, Long> threadsCpu(String prefix) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<Long, Long> out = new java.util.HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                out.put(t.getId(), mx.getThreadCpuTime(t.getId()));
            }
        }
        return out;
    }

    private static long cpuSince(String prefix, java.util.Map<Long, Long> before) {
        long total = 0;
        for (java.util.Map.Entry<Long, Long> e : threadsCpu(prefix).entrySet()) {
            total += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return total;
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
