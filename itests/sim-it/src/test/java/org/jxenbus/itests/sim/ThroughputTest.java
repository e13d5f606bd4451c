package org.jxenbus.itests.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.TestSize;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.sim.Endpoint;
import org.jxenbus.xenstore.sim.XenstoreSimulator;
import org.junit.jupiter.api.Test;

/**
 * Small reads from 16 threads sharing one connection, the simulator next to the C xenstored in the same run:
 * over each one's unix socket and dom0's ring, and the simulator in the JVM ({@code sim:}). Prints the
 * median of 5 rounds; asserts only that every value read was right, never a speed.
 */
class ThroughputTest {

    static final int THREADS = 16;
    static final int ROUNDS = 5;

    @Test
    void smallReadsFromSixteenThreads() throws Exception {
        int perThread = TestSize.pick(2_000, 20_000);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jxb-tp-");
        Map<String, double[]> results = new LinkedHashMap<>();
        try (FakeXenHost c = FakeXenHost.start(); XenstoreSimulator sim = XenstoreSimulator.start();
                Endpoint socket = sim.serveSocket(dir.resolve("socket")); Endpoint rings = sim.serveRings(dir, true)) {
            results.put("C xenstored, unix socket", rates(c.socketUri(), perThread));
            results.put("simulator, unix socket", rates(URI.create("unix:" + dir.resolve("socket")), perThread));
            results.put("simulator in the JVM, sim:", rates(sim.uri(), perThread));
            results.put("C xenstored, dom0's ring", rates(c.dom0RingUri(), perThread / 2));
            results.put("simulator, dom0's ring", rates(URI.create("ring:fake:" + dir + "?domid=0"), perThread / 2));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        StringBuilder b = new StringBuilder(String.format("%-32s %12s %24s%n", "16 threads, small reads, one connection",
                "median req/s", "min-max"));
        results.forEach((k, r) -> b.append(String.format("%-32s %12.0f %11.0f-%-12.0f%n", k, r[ROUNDS / 2], r[0],
                r[ROUNDS - 1])));
        b.append(String.format("(%d reads per thread per round on sockets and sim:, half on rings; %d rounds; %d cores)",
                perThread, ROUNDS, Runtime.getRuntime().availableProcessors()));
        System.out.println(b);
    }

    private static double[] rates(URI uri, int perThread) throws Exception {
        try (XenstoreConnection setup = Xenstore.open(uri)) {
            for (int t = 0; t < THREADS; t++) {
                setup.write("/bench/t" + t, "value-" + t);
            }
        }
        double[] rates = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            try (XenstoreConnection xs = Xenstore.open(uri)) {
                rates[r] = round(xs, perThread);
            }
        }
        Arrays.sort(rates);
        return rates;
    }

    private static double round(XenstoreConnection xs, int perThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            xs.read("/bench/t0");
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String path = "/bench/t" + t;
                String expected = "value-" + t;
                done.add(pool.submit(() -> {
                    start.await();
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
            return THREADS * (double) perThread / ((System.nanoTime() - t0) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }
}
