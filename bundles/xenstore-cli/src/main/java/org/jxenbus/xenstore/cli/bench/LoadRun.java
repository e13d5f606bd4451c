package org.jxenbus.xenstore.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

import org.jxenbus.xenstore.api.XenstoreService;

/**
 * N threads ({@code xenstore-bench-<i>}) sharing one store, each working on its own node under
 * {@code base} so that operations never conflict: each thread runs its share of the warm-up, all meet, the
 * clock starts, each runs its share of the measured operations timing every one, and the clock stops when
 * the last one is done. With {@link BenchSettings#async()} K, a thread does not wait for each operation: it
 * keeps K of them outstanding through the asynchronous API and times each from its call to its completion. The threads are started and joined by {@link #run}; the nodes are removed after.
 *
 * <p>Not thread-safe: one run at a time. The first failure of any thread ends the run: the others stop at
 * their next operation and {@link #run} throws it.
 */
public final class LoadRun {

    /** With {@link BenchSettings.Op#WATCH}, the children of its node a thread writes in turn. */
    static final int WATCHED_CHILDREN = 1024;

    private final XenstoreService store;
    private final BenchSettings settings;
    private final String base;
    private final byte[] value;
    private final Clock clock;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    /**
     * What a run's owner does at the edges of the measured interval, on the thread that called {@link #run}:
     * after every thread's warm-up, right before the clock starts, and right after it stops (every measured
     * operation done). Either may throw to end the run.
     */
    public interface Clock {

        /** Does nothing at either edge. */
        Clock PLAIN = new Clock() {
        };

        default void starting() throws InterruptedException {
        }

        default void stopped() throws InterruptedException {
        }

        /** After each operation of any thread, warm-up included, on that thread; may block to pace the load. */
        default void operated() throws InterruptedException {
        }
    }

    /**
     * @param base a path of the run's own; it and everything under it are removed at the end
     */
    public LoadRun(XenstoreService store, BenchSettings settings, String base) {
        this(store, settings, base, Clock.PLAIN);
    }

    /**
     * @param base a path of the run's own; it and everything under it are removed at the end
     * @param clock told when the measured interval starts and stops
     */
    public LoadRun(XenstoreService store, BenchSettings settings, String base, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.base = base;
        this.clock = clock;
        this.value = new byte[settings.size()];
        Arrays.fill(value, (byte) 'x');
    }

    /**
     * Runs the load and removes its nodes.
     *
     * @throws RuntimeException the first failure of any thread, e.g. a {@code XenstoreException}
     * @throws InterruptedException if interrupted while waiting for the threads (they are interrupted too)
     */
    public LoadResult run() throws InterruptedException {
        int n = settings.threads();
        long[][] latencies = new long[n][];
        CountDownLatch warmedUp = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                String node = base + "/t" + i;
                store.write(node, value);
                int index = i;
                latencies[i] = new long[share(settings.requests(), i)];
                Thread t = new Thread(() -> work(node, share(settings.warmup(), index), latencies[index], warmedUp, go),
                        "xenstore-bench-" + i);
                threads.add(t);
                t.start();
            }
            warmedUp.await();
            clock.starting();
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            long elapsed = System.nanoTime() - start;
            long cpu = processCpuNanos() - cpuStart;
            RuntimeException e = failure.get();
            if (e != null) {
                throw e;
            }
            clock.stopped();
            return new LoadResult(settings.requests(), elapsed, cpu, concat(latencies));
        } finally {
            threads.forEach(Thread::interrupt);
            for (Thread t : threads) {
                t.join();
            }
            store.rm(base);
        }
    }

    private void work(String node, int warmup, long[] latencies, CountDownLatch warmedUp, CountDownLatch go) {
        boolean warm = false;
        try {
            operate(node, new long[warmup]);
            warm = true;
            warmedUp.countDown();
            go.await();
            operate(node, latencies);
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        } catch (InterruptedException e) {
            failure.compareAndSet(null, new IllegalStateException("interrupted during the run", e));
        } finally {
            if (!warm) {
                warmedUp.countDown(); // the run waits for no thread that will not come
            }
        }
    }

    /** {@code latencies.length} operations on {@code node}, timing each; stops early once the run failed. */
    private void operate(String node, long[] latencies) throws InterruptedException {
        if (settings.async() > 0) {
            outstanding(node, latencies);
            return;
        }
        for (int i = 0; i < latencies.length && failure.get() == null; i++) {
            long t0 = System.nanoTime();
            once(node, i);
            latencies[i] = System.nanoTime() - t0;
            clock.operated();
        }
    }

    /**
     * {@code latencies.length} operations on {@code node}, {@link BenchSettings#async()} of them outstanding at
     * a time, each timed from its call to its completion (which runs on the connection's I/O thread); returns
     * once all completed. A failed one is the run's failure.
     */
    private void outstanding(String node, long[] latencies) throws InterruptedException {
        int window = settings.async();
        Semaphore room = new Semaphore(window);
        for (int i = 0; i < latencies.length && failure.get() == null; i++) {
            room.acquire();
            int index = i;
            long t0 = System.nanoTime();
            CompletableFuture<?> f = settings.op() == BenchSettings.Op.READ ? store.async().readBytes(node)
                    : store.async().write(node, value);
            f.whenComplete((result, error) -> {
                latencies[index] = System.nanoTime() - t0;
                if (error != null) {
                    failure.compareAndSet(null, error instanceof RuntimeException r ? r
                            : new IllegalStateException(error));
                }
                room.release();
            });
        }
        room.acquire(window); // every completion seen, and its latency with it
    }

    /** Operation {@code i} of a thread's warm-up or measured run on its node. */
    private void once(String node, int i) {
        switch (settings.op()) {
            case READ -> store.readBytes(node);
            case WRITE -> store.write(node, value);
            // Not the node itself: xenstored drops an event identical to one its watcher has not read yet,
            // and how many it drops would depend on how far the watcher lags.
            case WATCH -> store.write(node + "/" + i % WATCHED_CHILDREN, value);
            case TXN -> store.transaction(tx -> {
                tx.write(node, tx.readBytes(node));
                return null;
            });
        }
    }

    /** Thread i's part of {@code total}: equal shares, the first threads taking the remainder. */
    private int share(int total, int i) {
        int n = settings.threads();
        return total / n + (i < total % n ? 1 : 0);
    }

    /** The whole process's CPU time, user and system (the I/O thread's included); -1 if the OS does not say. */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos()).orElse(-1L);
    }

    private static long[] concat(long[][] parts) {
        long[] all = new long[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
