package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Latencies in microseconds in log-linear buckets: 8 per power of two (about 12 % wide), from 1 µs to over a
 * day. Fixed memory (a few KiB), lock-free recording; percentiles are read from a scan. Thread-safe.
 */
final class LatencyHistogram {

    private static final int SUB = 8;
    private static final int POWERS = 40;
    private final AtomicLongArray counts = new AtomicLongArray(POWERS * SUB);
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    void record(long micros) {
        long v = Math.max(1, micros);
        counts.incrementAndGet(bucket(v));
        max.accumulate(v);
    }

    long max() {
        return max.get();
    }

    /** The smallest recorded bucket's upper bound at or above fraction {@code q} of the samples; 0 if none. */
    long percentile(double q) {
        long total = 0;
        for (int i = 0; i < counts.length(); i++) {
            total += counts.get(i);
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upperBound(i), max());
            }
        }
        return max();
    }

    long count() {
        long total = 0;
        for (int i = 0; i < counts.length(); i++) {
            total += counts.get(i);
        }
        return total;
    }

    static int bucket(long v) {
        int power = 63 - Long.numberOfLeadingZeros(v);
        if (power < 3) {
            return (int) v;
        }
        int sub = (int) ((v >>> (power - 3)) & (SUB - 1));
        return Math.min(POWERS * SUB - 1, (power - 2) * SUB + sub);
    }

    static long upperBound(int bucket) {
        if (bucket < SUB) {
            return bucket;
        }
        int power = bucket / SUB + 2;
        int sub = bucket % SUB;
        return ((long) (SUB + sub + 1) << (power - 3)) - 1;
    }
}
