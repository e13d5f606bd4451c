package org.jxenbus.itests.realxen.dom0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.api.XenstoreConnection;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The same simulator serving two paths in a real dom0: our own ring over real grants ({@code ring:gntalloc},
 * one connection, many requests in flight) against the kernel's ({@code /dev/xen/xenbus}): 16 threads of
 * small reads on each for 15 s, every reply checked, the ratio printed (TCG skews absolute times; a ratio in one run
 * still tells something). Runs only against the simulator started with {@code --grant-requests}.
 */
@Tag("dom0")
class OfferedRingThroughputInDom0Test {

    private static final int THREADS = 16;
    /** Each path is measured for this long, after a warm-up: bounded whatever the host's load. */
    private static final long MEASURE_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(3);

    @Test
    void sixteenThreadsOfSmallReadsOverOurRingAndOverTheKernels() throws Exception {
        Assumptions.assumeTrue(Dom0Xenstored.servesOfferedRings(), "the simulator serves no offered rings here");
        Dom0Xenstored.get();
        double ring = readsPerSecond(Dom0Xenstored.OFFERED_RING);
        double xenbus = readsPerSecond(Dom0Xenstored.xenbusUri());
        System.out.printf("16 threads of small reads, same simulator: ring:gntalloc %.0f/s, xenbus %.0f/s,"
                + " ring/xenbus ratio %.2f%n", ring, xenbus, ring / xenbus);
        assertTrue(ring > 0 && xenbus > 0, "a path answered no read in " + MEASURE_NANOS / 1e9 + " s");
    }

    private static double readsPerSecond(URI uri) throws Exception {
        String root = "/dom0bench/" + uri.getScheme();
        try (XenstoreConnection xs = Dom0Xenstored.open(uri)) {
            for (int t = 0; t < THREADS; t++) {
                xs.write(root + "/n" + t, "value-" + t);
            }
            run(xs, root, WARM_UP_NANOS); // JIT and the paths' first allocations
            long t0 = System.nanoTime();
            long reads = run(xs, root, MEASURE_NANOS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            xs.rm(root);
            return reads / seconds;
        }
    }

    /** Reads from 16 threads until {@code nanos} have passed, each reply checked; returns how many. */
    private static long run(XenstoreConnection xs, String root, long nanos) throws Exception {
        long deadline = System.nanoTime() + nanos;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    long n = 0;
                    while (System.nanoTime() < deadline) {
                        assertEquals("value-" + id, xs.read(root + "/n" + id));
                        n++;
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> f : done) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }
}
