package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.TestSize;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The first throughput comparison, rerunnable: 16 threads of small reads against one xenstored, in the
 * same run, multiplexed on one connection vs the serialized window of one (the old clients' behaviour),
 * plus one connection per thread for reference. Prints medians of 5 rounds with min–max and ratios; it
 * asserts only that every read returned the right value, never a speed.
 *
 * <p>Rerun: {@code mvn -pl itests/xenstored-it -am verify -Dtest=ThroughputComparisonTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Djxenbus.full=true}.
 */
@Tag("socket-only") // measures the socket; the ring has its own comparison
@ExtendWith(XenstoredExtension.class)
class ThroughputComparisonTest {

    static final int THREADS = 16;
    static final int ROUNDS = 5;

    @Test
    void multiplexedVersusSerializedSmallReads(FakeXenHost host) throws Exception {
        int perThread = TestSize.pick(2_000, 20_000);
        try (XenstoreConnection setup = Xenstore.open(host.socketUri())) {
            for (int t = 0; t < THREADS; t++) {
                setup.write("/bench/t" + t, "value-" + t);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-44s %12s %24s %8s", "16 threads, small reads", "median req/s", "min-max", "ratio"));
        double serialized = 0;
        for (Mode mode : Mode.values()) {
            double[] rates = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                rates[r] = round(host, mode, perThread);
            }
            java.util.Arrays.sort(rates);
            double median = rates[ROUNDS / 2];
            if (mode == Mode.SERIALIZED) {
                serialized = median;
            }
            lines.add(String.format("%-44s %12.0f %11.0f-%-12.0f %8s", mode.label, median, rates[0],
                    rates[ROUNDS - 1], serialized > 0 ? String.format("%.2fx", median / serialized) : "-"));
        }
        lines.add(String.format("(%d reads per thread per round, %d rounds, %d cores, xenstored 4.17 on the fake "
                + "hypervisor, unix socket)", perThread, ROUNDS, Runtime.getRuntime().availableProcessors()));
        System.out.println(String.join("\n", lines));
    }

    private static double round(FakeXenHost host, Mode mode, int perThread) throws Exception {
        List<XenstoreConnection> connections = new ArrayList<>();
        IntFunction<XenstoreService> forThread;
        if (mode == Mode.PER_THREAD) {
            for (int t = 0; t < THREADS; t++) {
                connections.add(Xenstore.open(host.socketUri(), ConnectionOptions.defaults().withMaxInFlight(1)));
            }
            forThread = connections::get;
        } else {
            XenstoreConnection one = Xenstore.open(host.socketUri(), mode == Mode.SERIALIZED
                    ? ConnectionOptions.defaults().withMaxInFlight(1) : ConnectionOptions.defaults());
            connections.add(one);
            forThread = t -> one;
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (XenstoreConnection c : connections) {
                c.read("/bench/t0");
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                XenstoreService xs = forThread.apply(t);
                done.add(pool.submit(() -> {
                    start.await();
                    String path = "/bench/t" + thread;
                    String expected = "value-" + thread;
                    for (int i = 0; i < perThread; i++) {
                        assertEquals(expected, xs.read(path));
                    }
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
            long elapsed = System.nanoTime() - t0;
            return THREADS * (double) perThread / (elapsed / 1e9);
        } finally {
            pool.shutdownNow();
            connections.forEach(XenstoreConnection::close);
        }
    }

    enum Mode {
        SERIALIZED("one connection, maxInFlight=1 (serialized)"),
        MULTIPLEXED("one connection, multiplexed (default window)"),
        PER_THREAD("16 connections, one per thread, maxInFlight=1");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }
}
