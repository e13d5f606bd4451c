package org.jxenbus.xenstore.cli.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a {@link LoadRun} measured: operations completed, the wall time from the common start to the last
 * thread's end, and every operation's latency.
 */
public final class LoadResult {

    private final long operations;
    private final long elapsedNanos;
    private final long[] sortedLatencyNanos;

    LoadResult(long operations, long elapsedNanos, long[] latencyNanos) {
        this.operations = operations;
        this.elapsedNanos = elapsedNanos;
        this.sortedLatencyNanos = latencyNanos.clone();
        Arrays.sort(sortedLatencyNanos);
    }

    /** Operations per second over the measured interval. */
    public double rate() {
        return operations * 1e9 / elapsedNanos;
    }

    /** The latency below which {@code percent} of operations completed, in microseconds (nearest rank). */
    public double percentileMicros(double percent) {
        int rank = (int) Math.ceil(percent / 100 * sortedLatencyNanos.length);
        return sortedLatencyNanos[Math.max(0, rank - 1)] / 1e3;
    }

    /**
     * The report, one {@code key=value} per line; the last line is {@code req/s=<number>}, the one scripts
     * parse.
     */
    public String report() {
        return String.format(Locale.ROOT, "ops=%d elapsed_s=%.3f%np50_us=%.1f%np99_us=%.1f%nreq/s=%.1f%n",
                operations, elapsedNanos / 1e9, percentileMicros(50), percentileMicros(99), rate());
    }
}
