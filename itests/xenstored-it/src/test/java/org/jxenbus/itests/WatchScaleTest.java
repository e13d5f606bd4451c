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
            double[] few = perEventMicros(xs, watches, 10, events);
            double[] many = perEventMicros(xs, watches, 10_000, events);
            System.out.printf("watch dispatch, %d events: with 10 watched paths %.1f us wall and %.2f us of jxenbus "
                    + "CPU per event; with 10,000: %.1f us wall and %.2f us of jxenbus CPU (CPU ratio %.2f; the wall "
                    + "time includes xenstored, which scans every watch on each write)%n", events, few[0], few[1],
                    many[0], many[1], many[1] / few[1]);
            assertEquals(0, watches.statistics().serverWatches());
        }
    }

    /**
     * Writes {@code events} times under one watched path while {@code paths} paths are watched; returns wall
     * and jxenbus CPU (its I/O and dispatch threads) microseconds per event.
     */
    private static double[] perEventMicros(XenstoreConnection xs, OwnedWatchService watches, int paths, int events)
            throws Exception {
        List<Watch> others = new ArrayList<>();
        for (int i = 0; i < paths - 1; i++) {
            others.add(watches.watch("/scale/other" + i, p -> { }));
        }
        AtomicLong seen = new AtomicLong();
        try (Watch target = watches.watch("/scale/target", p -> seen.incrementAndGet())) {
            WatchServiceTest.await(() -> seen.get() == 1);
            long t0 = System.nanoTime();
            java.util.Map<Long, Long> cpu0 = ourThreadsCpu();
            List<CompletableFuture<Void>> window = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                window.add(xs.async().write("/scale/target/v" + i, "x"));
                if (window.size() == 500) {
                    window.forEach(CompletableFuture::join);
                    window.clear();
                }
            }
            window.forEach(CompletableFuture::join);
            WatchServiceTest.await(() -> seen.get() == events + 1);
            double micros = (System.nanoTime() - t0) / 1000.0 / events;
            double cpu = cpuSince(cpu0) / 1000.0 / events;
            xs.rm("/scale/target");
            return new double[] {micros, cpu};
        } finally {
            others.forEach(Watch::close);
        }
    }

    /** CPU nanoseconds of jxenbus's own threads (connection I/O, watch dispatch), by thread id. */
    private static java.util.Map<Long, Long> ourThreadsCpu() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<Long, Long> out = new java.util.HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("xenstore-io-") || t.getName().startsWith("xenstore-watch-dispatch-")) {
                out.put(t.getId(), mx.getThreadCpuTime(t.getId()));
            }
        }
        return out;
    }

    private static long cpuSince(java.util.Map<Long, Long> before) {
        long total = 0;
        for (java.util.Map.Entry<Long, Long> e : ourThreadsCpu().entrySet()) {
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
