package org.jxenbus.itests.realxen.dom0;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jxenbus.testsupport.MixedLoad;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many requests in flight over {@code /dev/xen/xenbus} (several descriptors, one request in flight on each):
 * each reply reaches its own caller and each write lands where it was meant to.
 */
@Tag("dom0")
class XenbusConcurrencyInDom0Test {

    @Test
    void concurrentReadsOfDistinctNodesGetTheirOwnValues() throws Exception {
        Dom0Xenstored.get();
        try (XenstoreConnection xs = Xenstore.open(URI.create("xenbus:/dev/xen/xenbus"))) {
            for (int i = 0; i < 32; i++) {
                xs.write("/xbc/n" + i, "v" + i);
            }
            int mismatches = 0;
            for (int round = 0; round < 60; round++) {
                List<CompletableFuture<String>> reads = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    reads.add(xs.async().read("/xbc/n" + i));
                }
                for (int i = 0; i < 32; i++) {
                    if (!("v" + i).equals(reads.get(i).get())) {
                        mismatches++;
                    }
                }
            }
            System.out.println("xenbus: 1920 concurrent reads, replies reaching the wrong caller: " + mismatches
                    + "; " + xs.statistics());
            assertEquals(0, mismatches);
        }
    }

    @Test
    void concurrentWritesAndRemovesOfDistinctNodesAreEachApplied() throws Exception {
        Dom0Xenstored.get();
        try (XenstoreConnection xs = Xenstore.open(URI.create("xenbus:/dev/xen/xenbus"))) {
            for (int round = 0; round < 50; round++) {
                List<CompletableFuture<Void>> ops = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    ops.add(round % 2 == 0 ? xs.async().write("/xbw/n" + i, "r" + round) : xs.async().rm("/xbw/n" + i));
                }
                for (CompletableFuture<Void> f : ops) {
                    f.get();
                }
                for (int i = 0; i < 16; i++) {
                    assertEquals(round % 2 == 0, xs.exists("/xbw/n" + i), "round " + round + " node " + i);
                }
            }
        }
    }

    @Test
    void theMixedLoadPassesOnOneDescriptorAndOnEight() throws Exception {
        Dom0Xenstored.get();
        for (int descriptors : new int[] {1, 8}) {
            try (XenstoreConnection xs = Xenstore.open(URI.create("xenbus:/dev/xen/xenbus?descriptors=" + descriptors))) {
                MixedLoad.run(xs, "/xbmix" + descriptors, 16, 100);
                System.out.println("xenbus, " + descriptors + " descriptors: mixed load checked; " + xs.statistics());
            }
        }
    }

    /**
     * A measurement, not a timed test: checked reads from 16 threads over one descriptor (libxenstore's way) and
     * over four, medians of three alternating rounds, printed side by side.
     */
    @Test
    void readsPerSecondOnOneDescriptorAgainstFour() throws Exception {
        Dom0Xenstored.get();
        try (XenstoreConnection setup = Xenstore.open(URI.create("xenbus:/dev/xen/xenbus"))) {
            setup.write("/xbrate/k", "v");
        }
        double[] one = new double[3];
        double[] four = new double[3];
        for (int round = 0; round < 3; round++) {
            one[round] = readsPerSecond(1);
            four[round] = readsPerSecond(4);
        }
        Arrays.sort(one);
        Arrays.sort(four);
        System.out.printf("xenbus reads/s from 16 threads, median of 3: 1 descriptor %.0f, 4 descriptors %.0f, ratio %.2f%n",
                one[1], four[1], four[1] / one[1]);
    }

    private static double readsPerSecond(int descriptors) throws Exception {
        try (XenstoreConnection xs = Xenstore.open(URI.create("xenbus:/dev/xen/xenbus?descriptors=" + descriptors))) {
            int threads = 16;
            int each = 25;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                long start = System.nanoTime();
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            assertEquals("v", xs.read("/xbrate/k"));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                return threads * each / ((System.nanoTime() - start) / 1e9);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
