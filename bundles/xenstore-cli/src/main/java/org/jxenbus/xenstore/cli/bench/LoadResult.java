package org.jxenbus.xenstore.cli.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a {@link LoadRun} measured: operations completed, the wall time from the common start to the last
 * thread's end, the process's CPU time over that interval, and every operation's latency.
 */
public final class LoadResult {

    private final long operations;
    private final long elapsedNanos;
    private final long cpuNanos;
    private final long[] sortedLatencyNanos;

    LoadResult(long operations, long elapsedNanos, long cpuNanos, long[] latencyNanos) {
        this.operations = operations;
        this.elapsedNanos = elapsedNanos;
        this.cpuNanos = cpuNanos;
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
     * The client's CPU time (user and system, all its threads) per operation in microseconds: what a request
     * costs the client, apart from waiting. Coarse (the OS counts in ticks); -1 if unknown.
     */
    public double cpuMicrosPerOperation() {
        return cpuNanos < 0 ? -1 : cpuNanos / 1e3 / operations;
    }

    /**
     * The report, one {@code key=value} per line; the last line is {@code req/s=<number>}, the one scripts
     * parse.
     */
    public String report() {
        return report("");
    }

    /**
     * The report with {@code moreLines} (each ending in a newline) before its last line, {@code req/s}.
     */
    public String report(String moreLines) {
        return String.format(Locale.ROOT,
                "ops=%d elapsed_s=%.3f%ncpu_us_per_op=%.1f%np50_us=%.1f%np99_us=%.1f%n%sreq/s=%.1f%n", operations,
                elapsedNanos / 1e9, cpuMicrosPerOperation(), percentileMicros(50), percentileMicros(99), moreLines,
                rate());
    }
}
