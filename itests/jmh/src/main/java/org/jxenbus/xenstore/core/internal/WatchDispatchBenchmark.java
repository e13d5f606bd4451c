package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.watch.OwnedWatchService;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.sim.XenstoreSimulator;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Watch events delivered per second through the watch service's dispatch path, with {@code watchedPaths}
 * paths watched on one connection: a real connection to the embedded simulator, the real watch service over
 * it ({@code Xenstore.watches}), every watch set on the server. A benchmark then plays the part of the
 * connection's I/O thread on receiving a WATCH_EVENT: it hands the message to the connection's
 * {@link WatchRouter} (as {@link Multiplexer#deliver} does; this class is in the core's package to reach it),
 * which decodes it, finds the watch by token among all of them, and passes it to the shared server watch,
 * the listener's queue and a dispatch thread, which calls the listener. The server's own cost (finding the
 * watches a write fires, in the simulator as in xenstored) is not in it: that is what makes the client's
 * part visible, and WatchScaleTest measures the whole.
 * <ul>
 * <li>{@code oneEvent}: one event, then wait until the listener has it: each event wakes the dispatch thread.
 * <li>{@code burstOfEvents}: {@value #BURST} events of distinct paths under the watched one in a row, then
 * wait for the last: the dispatch thread drains them in one go. The score is per event.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WatchDispatchBenchmark {

    private static final int BURST = 256; // below the listener queue's 1024 paths, so nothing overflows
    private static final String TARGET = "/jmh/target";

    @Param({"10", "10000"})
    public int watchedPaths;

    private XenstoreSimulator sim;
    private XenstoreConnection xs;
    private OwnedWatchService watches;
    private final AtomicLong delivered = new AtomicLong();
    /** The benchmark thread, woken by the listener once {@code delivered} reaches {@code until}. */
    private volatile Thread waiter;
    private volatile long until;
    private WatchRouter router;
    private XsMessage[] events;

    @Setup
    public void watch() throws InterruptedException {
        sim = XenstoreSimulator.start();
        xs = Xenstore.open(sim.uri());
        watches = Xenstore.watches(xs);
        AtomicLong othersFired = new AtomicLong();
        for (int i = 0; i < watchedPaths - 1; i++) {
            watches.watch("/jmh/other" + i, p -> othersFired.incrementAndGet());
        }
        watches.watch(TARGET, p -> {
            if (delivered.incrementAndGet() >= until) {
                LockSupport.unpark(waiter);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (delivered.get() + othersFired.get() < watchedPaths) { // every initial event dispatched first
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("initial events: " + (delivered.get() + othersFired.get()) + " of "
                        + watchedPaths + " in 60 s");
            }
            Thread.sleep(2);
        }
        router = ((CoreConnection) xs).mux().watches();
        String token = router.establishedWatches().stream().filter(e -> e.path().equals(TARGET)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no server watch on " + TARGET)).token();
        events = new XsMessage[BURST];
        for (int i = 0; i < BURST; i++) {
            events[i] = new XsMessage(XsMessageType.XS_WATCH_EVENT.code(), 0, 0,
                    Payloads.strings(TARGET + "/e" + i, token));
        }
    }

    @TearDown
    public void close() {
        watches.close(); // closes every watch
        xs.close();
        sim.close();
    }

    @Benchmark
    public long oneEvent() {
        return deliverAndAwait(1);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public long burstOfEvents() {
        return deliverAndAwait(BURST);
    }

    private long deliverAndAwait(int n) {
        waiter = Thread.currentThread();
        until = delivered.get() + n;
        for (int i = 0; i < n; i++) {
            router.deliver(events[i]);
        }
        long now;
        while ((now = delivered.get()) < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        return now;
    }
}
