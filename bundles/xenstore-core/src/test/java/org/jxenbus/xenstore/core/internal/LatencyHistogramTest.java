package org.jxenbus.xenstore.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketsAreContiguousAndEachValueLiesWithinItsBucketsBound() {
        long previousBound = -1;
        for (int b = 0; b < 200; b++) {
            long bound = LatencyHistogram.upperBound(b);
            assertTrue(bound > previousBound, "bucket " + b);
            previousBound = bound;
        }
        for (long v = 1; v < 5_000_000; v = v * 3 / 2 + 1) {
            int b = LatencyHistogram.bucket(v);
            assertTrue(v <= LatencyHistogram.upperBound(b), v + " above its bucket's bound");
            assertTrue(b == 0 || v > LatencyHistogram.upperBound(b - 1), v + " belongs to an earlier bucket");
            assertTrue(LatencyHistogram.upperBound(b) <= v * 1.13 + 1, v + ": bucket wider than 12.5 %");
        }
    }

    @Test
    void percentilesOfAKnownSampleAreWithinTheBucketPrecision() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 1000; v++) {
            h.record(v);
        }
        assertEquals(1000, h.count());
        assertEquals(1000, h.max());
        assertWithin(500, h.percentile(0.5));
        assertWithin(900, h.percentile(0.9));
        assertWithin(990, h.percentile(0.99));
        assertEquals(0, new LatencyHistogram().percentile(0.5), "no samples");
    }

    private static void assertWithin(long expected, long actual) {
        assertTrue(actual >= expected && actual <= expected * 1.13, "expected about " + expected + ", got " + actual);
    }
}
