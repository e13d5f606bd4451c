package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.TestSize;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Throughput comparisons, rerunnable: 16 threads against one xenstored, in the same run, multiplexed on one
 * connection vs the serialized window of one (the old clients' behaviour), over the socket and over dom0's
 * ring; small reads and 4000-byte writes. Prints medians of 5 rounds with min-max and ratios, and over the
 * ring the kicks per request with and without the seed's suppression. Asserts only that every value was
 * right, never a speed.
 *
 * <p>Rerun: {@code mvn -pl itests/xenstored-it -am verify -Dtest=ThroughputComparisonTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Djxenbus.full=true}.
 */
@Tag("transport-specific") // chooses its transports itself; runs once
@ExtendWith(XenstoredExtension.class)
class ThroughputComparisonTest {

    static final int THREADS = 16;
    static final int ROUNDS = 5;

    @Test
    void socketSmallReads(FakeXenHost host) throws Exception {
        compare(host, "16 threads, small reads, socket", host.socketUri(), Op.SMALL_READ, TestSize.pick(2_000, 20_000),
                true);
    }

    @Test
    void ringSmallReads(FakeXenHost host) throws Exception {
        compare(host, "16 threads, small reads, dom0 ring", host.dom0RingUri(), Op.SMALL_READ,
                TestSize.pick(1_000, 10_000), false);
    }

    @Test
    void ringLargeWrites(FakeXenHost host) throws Exception {
        compare(host, "16 threads, 4000-byte writes, dom0 ring", host.dom0RingUri(), Op.LARGE_WRITE,
                TestSize.pick(200, 2_000), false);
    }

    @Test
    void ringKicksPerRequest(FakeXenHost host) throws Exception {
        int perThread = TestSize.pick(500, 5_000);
        List<String> lines = new ArrayList<>();
        lines.add("kicks per request over dom0's ring (16 threads, small reads; xenstored itself kicks after every "
                + "ring transfer)");
        for (boolean suppress : new boolean[] {true, false}) {
            URI uri = URI.create(host.dom0RingUri() + (suppress ? "" : "&suppress=false"));
            try (XenstoreConnection xs = Xenstore.open(uri)) {
                double rate = round(xs, Op.SMALL_READ, perThread);
                Map<String, Long> c = xs.statistics().transportCounters();
                long requests = xs.statistics().requestsSent();
                lines.add(String.format("  suppression %-3s: %.3f kicks sent per request, %.3f received; %.0f req/s; "
                        + "timeouts that found work: %d", suppress ? "on" : "off",
                        c.get("kicksSent") / (double) requests, c.get("kicksReceived") / (double) requests, rate,
                        c.get("timeoutsWithWork")));
                assertEquals(0L, c.get("timeoutsWithWork"), "no wake-up by timeout found work a kick should have announced");
            }
        }
        System.out.println(String.join("\n", lines));
    }

    private static void compare(FakeXenHost host, String title, URI uri, Op op, int perThread, boolean perThreadConnections)
            throws Exception {
        try (XenstoreConnection setup = Xenstore.open(host.socketUri())) {
            for (int t = 0; t < THREADS; t++) {
                setup.write("/bench/t" + t, "value-" + t);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-48s %12s %24s %8s", title, "median req/s", "min-max", "ratio"));
        double serialized = 0;
        for (int window : new int[] {1, 0}) {
            double[] rates = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                try (XenstoreConnection xs = Xenstore.open(uri, ConnectionOptions.defaults().withMaxInFlight(window))) {
                    rates[r] = round(xs, op, perThread);
                }
            }
            double median = median(rates);
            if (window == 1) {
                serialized = median;
            }
            lines.add(row(window == 1 ? "one connection, maxInFlight=1 (serialized)"
                    : "one connection, multiplexed (default window)", rates, serialized));
        }
        if (perThreadConnections) {
            double[] rates = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                rates[r] = perThreadRound(uri, op, perThread);
            }
            lines.add(row("16 connections, one per thread, maxInFlight=1", rates, serialized));
        }
        lines.add(String.format("(%d requests per thread per round, %d rounds, %d cores, xenstored 4.17 on the fake "
                + "hypervisor)", perThread, ROUNDS, Runtime.getRuntime().availableProcessors()));
        System.out.println(String.join("\n", lines));
    }

    private static String row(String label, double[] rates, double baseline) {
        double median = median(rates);
        return String.format("%-48s %12.0f %11.0f-%-12.0f %8s", label, median, rates[0], rates[ROUNDS - 1],
                String.format("%.2fx", median / baseline));
    }

    private static double median(double[] rates) {
        Arrays.sort(rates);
        return rates[rates.length / 2];
    }

    private static double round(XenstoreConnection xs, Op op, int perThread) throws Exception {
        List<XenstoreConnection> one = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            one.add(xs);
        }
        return timed(one, op, perThread);
    }

    private static double perThreadRound(URI uri, Op op, int perThread) throws Exception {
        List<XenstoreConnection> connections = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                connections.add(Xenstore.open(uri, ConnectionOptions.defaults().withMaxInFlight(1)));
            }
            return timed(connections, op, perThread);
        } finally {
            connections.forEach(XenstoreConnection::close);
        }
    }

    private static double timed(List<XenstoreConnection> byThread, Op op, int perThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (XenstoreConnection c : byThread) {
                c.read("/bench/t0");
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                XenstoreConnection xs = byThread.get(t);
                done.add(pool.submit(() -> {
                    start.await();
                    op.run(xs, thread, perThread);
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
            return THREADS * (double) perThread / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    enum Op {
        SMALL_READ {
            @Override
            void run(XenstoreConnection xs, int thread, int n) {
                String path = "/bench/t" + thread;
                String expected = "value-" + thread;
                for (int i = 0; i < n; i++) {
                    assertEquals(expected, xs.read(path));
                }
            }
        },
        LARGE_WRITE {
            @Override
            void run(XenstoreConnection xs, int thread, int n) {
                byte[] value = new byte[4000];
                Arrays.fill(value, (byte) ('a' + thread));
                String path = "/bench/big" + thread;
                for (int i = 0; i < n; i++) {
                    xs.write(path, value);
                }
                assertArrayEquals(value, xs.readBytes(path));
            }
        };

        abstract void run(XenstoreConnection xs, int thread, int n);
    }
}
