package org.jxenbus.xenstore.core.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link RequestIdAllocator} as the {@link Multiplexer} uses it, {@code ids.allocate(pending::containsKey)},
 * with {@code inUse} ids waiting for replies in a pending table of the multiplexer's kind (in this package,
 * because the allocator is the core's own).
 * <ul>
 * <li>{@code allocate}: one allocation; the ids in use are the ones handed out just before, as in steady
 * use, so the first id tried is free and the cost is one look-up in a table of {@code inUse} entries.
 * <li>{@code allocateRegisterRetire}: the multiplexer's whole cycle per request: allocate, register the id in
 * the pending table, and retire the id of the oldest request in flight as its reply would.
 * <li>{@code allocatePastInUse}: the rare worst case after the counter wraps 2^32: the {@code inUse} ids
 * waiting are exactly the next ones, so the allocation skips them all (a new allocator starting there).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestIdAllocationBenchmark {

    private static final int FIRST = -1_000_000; // near 2^32, as RequestIdWrapTest starts

    @Param({"0", "16", "1024"})
    public int inUse;

    private final Map<Integer, Object> pending = new ConcurrentHashMap<>();
    private RequestIdAllocator ids;
    /** The ids in flight, oldest at {@code oldest}: a ring of {@code inUse} slots. */
    private int[] inFlight;
    private int oldest;

    @Setup
    public void fillPending() {
        ids = new RequestIdAllocator(FIRST);
        inFlight = new int[inUse];
        for (int i = 0; i < inUse; i++) {
            inFlight[i] = ids.allocate(pending::containsKey);
            pending.put(inFlight[i], Boolean.TRUE);
        }
    }

    @Benchmark
    public int allocate() {
        return ids.allocate(pending::containsKey);
    }

    @Benchmark
    public int allocateRegisterRetire() {
        int id = ids.allocate(pending::containsKey);
        pending.put(id, Boolean.TRUE);
        if (inUse == 0) {
            pending.remove(id);
            return id;
        }
        pending.remove(inFlight[oldest]);
        inFlight[oldest] = id;
        oldest = (oldest + 1) % inUse;
        return id;
    }

    @Benchmark
    public int allocatePastInUse() {
        return new RequestIdAllocator(FIRST).allocate(pending::containsKey);
    }
}
