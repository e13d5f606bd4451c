package org.jxenbus.itests.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jxenbus.testsupport.TestSize;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.WatchEvent;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreOperations;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.sim.Profile;
import org.jxenbus.xenstore.sim.SimulatorOptions;
import org.junit.jupiter.api.Test;

/**
 * The suspend/resume gate under load against a server that forgets: the simulator's {@code modern} profile
 * honours dom0's ring reconnection request, so each {@code resume(true)} leaves the server without the
 * connection's watches, transactions and queued output. Every request must still complete with the right
 * reply (nothing fails on a planned suspension), a transaction left open across a suspension reruns and
 * commits once, every watch fires after each resume, and no watch is answered EEXIST.
 *
 * <p>That the server really forgot is seen from the outside: while the connection is suspended another
 * client makes more watch events than dom0's 1 KiB ring holds, so most wait in the server's output queue; a
 * server that kept the connection delivers them after the resume, one that forgot it never does. The same
 * load and cycles with {@code resume()} on the ring the server kept show the other side: nothing re-sent
 * (no watch fires again), every event made while suspended delivered.
 */
class GateOnDom0RingTest {

    static final int THREADS = 16;
    static final int WATCHES = 4;
    /** About 3 KiB of events: more than the 1 KiB ring holds, the rest wait in the server's output queue. */
    static final int EVENTS_WHILE_SUSPENDED = 64;
    static final Duration GRACE = Duration.ofMillis(50);

    @Test
    void everyRequestCompletesAndEveryWatchFiresAfterEachReconnectionTheServerForgets() throws Exception {
        cycles(true);
    }

    @Test
    void nothingIsResentOrLostWhenResumingOnTheRingTheServerKept() throws Exception {
        cycles(false);
    }

    private static void cycles(boolean reconnect) throws Exception {
        int cycles = TestSize.pick(20, 100);
        WarningRecorder warnings = WarningRecorder.on("org.jxenbus");
        try (Server server = Server.simulatorOnFolder(SimulatorOptions.defaults().withProfile(Profile.MODERN));
                XenstoreConnection other = Xenstore.open(URI.create("unix:" + server.folder().resolve("socket")));
                XenstoreConnection xs = Xenstore.open(URI.create("ring:fake:" + server.folder() + "?domid=0"))) {
            List<Counted> watched = new ArrayList<>();
            List<RawWatch> watches = new ArrayList<>();
            for (int i = 0; i < WATCHES; i++) {
                Counted c = new Counted("/gate/w" + i);
                watched.add(c);
                watches.add(xs.watch(c.path, c::fired));
            }
            Counted suspended = new Counted("/gate/suspended");
            watches.add(xs.watch(suspended.path, suspended::fired));
            await(() -> watched.stream().allMatch(c -> c.initial.get() == 1) && suspended.initial.get() == 1);
            String watchQuota = watchesLine(other.privileged().control("quota", "0"));

            long start = System.nanoTime();
            Straddler straddler = new Straddler(xs, "/gate/straddle");
            int threadsDuring;
            try (straddler; Load load = new Load(xs, "/gate/load", THREADS)) {
                Thread.sleep(20);
                threadsDuring = ManagementFactory.getThreadMXBean().getThreadCount();
                for (int c = 0; c < cycles; c++) {
                    Thread.sleep(20);
                    straddler.begin();
                    xs.suspendControl().suspend(GRACE);
                    assertTrue(xs.suspendControl().suspended());
                    for (int e = 0; e < EVENTS_WHILE_SUSPENDED; e++) {
                        other.write(suspended.path + "/c" + c + "-" + e, "x");
                    }
                    xs.suspendControl().resume(reconnect);
                    straddler.finish();
                    for (Counted w : watched) {
                        xs.write(w.path + "/beacon", Integer.toString(c));
                    }
                    int after = c + 1;
                    await(() -> watched.stream().allMatch(w -> w.beacons.get() == after));
                }
                int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
                load.stopAndCheck();
                System.out.printf("%d suspend/resume cycles on %s, the server %s (%s), %d ms: %s;"
                        + " straddling transactions %d runs; watch events %d; errors %s; threads %d -> %d%n", cycles,
                        xs.describe(), reconnect ? "forgetting each time" : "keeping the ring", server.describe(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                        load, straddler.runs.get(), xs.statistics().watchEvents(), xs.metrics().errorsByName(),
                        threadsDuring, threadsAfter);
                assertTrue(threadsAfter <= threadsDuring + 2, "threads " + threadsDuring + " -> " + threadsAfter);
            }

            int setTimes = reconnect ? cycles + 1 : 1;
            for (Counted w : watched) {
                assertEquals(setTimes, w.initial.get(), w.path + " fired once when set (and after each reconnection)");
                assertEquals(cycles, w.beacons.get(), w.path + " fired for each beacon");
            }
            assertEquals(setTimes, suspended.initial.get(), suspended.path + " fired once when set (and after each "
                    + "reconnection)");
            if (reconnect) {
                assertEquals(0, suspended.children.get(), "events made while suspended are delivered only if the "
                        + "server kept the connection");
            } else {
                await(() -> suspended.children.get() == cycles * EVENTS_WHILE_SUSPENDED);
            }
            assertEquals(Integer.toString(cycles), xs.read(straddler.path), "each straddling transaction committed once");
            assertEquals(2 * cycles, straddler.runs.get(), "each straddling transaction ran again after its resume "
                    + "(stale after any suspension)");
            assertEquals(watchQuota, watchesLine(other.privileged().control("quota", "0")),
                    "the server holds each watch once, as before the cycles");
            assertEquals(0, xs.statistics().unknownReplies());
            Map<String, Long> errors = new TreeMap<>(xs.metrics().errorsByName());
            errors.remove("EAGAIN"); // stale transactions' commits, rerun
            errors.remove("ENOENT"); // reads of a key or counter not written yet
            assertEquals(Map.of(), errors, "no request failed otherwise");
            assertEquals(List.of(), warnings.messages(), "no watch set again was refused (EEXIST), nothing lost");
            watches.forEach(RawWatch::close);
        } finally {
            warnings.close();
        }
    }

    private static String watchesLine(String quota) {
        return quota.lines().filter(l -> l.startsWith("watches")).findFirst().orElseThrow(() -> new AssertionError(quota));
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(condition.getAsBoolean(), "condition not reached in 10 s");
    }

    /** One watch's events: its own path (when set), a beacon child, any other child. */
    static final class Counted {
        final String path;
        final AtomicInteger initial = new AtomicInteger();
        final AtomicInteger beacons = new AtomicInteger();
        final AtomicInteger children = new AtomicInteger();

        Counted(String path) {
            this.path = path;
        }

        void fired(WatchEvent e) {
            if (e.path().equals(path)) {
                initial.incrementAndGet();
            } else if (e.path().equals(path + "/beacon")) {
                beacons.incrementAndGet();
            } else {
                children.incrementAndGet();
            }
        }
    }

    /**
     * A transaction that has read and written before a suspension and commits after the resume: its first
     * commit must fail as stale and {@code transaction(fn)} run it again.
     */
    static final class Straddler implements AutoCloseable {
        final XenstoreConnection xs;
        final String path;
        final AtomicInteger runs = new AtomicInteger();
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private CountDownLatch inside;
        private CountDownLatch resumed;
        private Future<?> work;

        Straddler(XenstoreConnection xs, String path) {
            this.xs = xs;
            this.path = path;
        }

        /** Starts the transaction and returns once its first run has written. */
        void begin() throws InterruptedException {
            CountDownLatch in = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            AtomicBoolean first = new AtomicBoolean(true);
            inside = in;
            resumed = go;
            work = thread.submit(() -> xs.transaction(tx -> {
                runs.incrementAndGet();
                tx.write(path, Integer.toString(Integer.parseInt(readOr(tx, path, "0")) + 1));
                if (first.getAndSet(false)) {
                    in.countDown();
                    awaitUninterruptibly(go);
                }
                return null;
            }));
            assertTrue(inside.await(30, TimeUnit.SECONDS), "the straddling transaction began");
        }

        /** Lets it commit (after the resume) and waits until it has. */
        void finish() throws Exception {
            resumed.countDown();
            work.get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            thread.shutdownNow();
        }

        private static void awaitUninterruptibly(CountDownLatch latch) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static String readOr(XenstoreOperations ops, String path, String absent) {
        try {
            return ops.read(path);
        } catch (NoSuchNodeException e) {
            return absent;
        }
    }

    /**
     * Threads each doing, at random, a write of their own key, a read that must return their last write, and
     * a transaction incrementing their own counter; at the end each counter equals the transactions its thread
     * committed. Nothing may fail: any exception ends the run.
     */
    static final class Load implements AutoCloseable {
        private final XenstoreConnection xs;
        private final String root;
        private final ExecutorService pool;
        private final List<Future<?>> workers = new ArrayList<>();
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final long[] committed;
        private final String[] lastWritten;
        final AtomicLong operations = new AtomicLong();
        final AtomicLong transactionRuns = new AtomicLong();

        Load(XenstoreConnection xs, String root, int threads) {
            this.xs = xs;
            this.root = root;
            this.pool = Executors.newFixedThreadPool(threads);
            this.committed = new long[threads];
            this.lastWritten = new String[threads];
            xs.mkdir(root);
            xs.rm(root);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(pool.submit(() -> run(thread)));
            }
        }

        private Void run(int thread) {
            Random random = new Random(thread);
            String base = root + "/t" + thread;
            for (int i = 0; !stopping.get(); i++) {
                switch (random.nextInt(3)) {
                    case 0 -> {
                        String value = thread + "-" + i;
                        xs.write(base + "/k", value);
                        lastWritten[thread] = value;
                    }
                    case 1 -> assertEquals(lastWritten[thread], readOr(xs, base + "/k", null), base + "/k");
                    default -> {
                        xs.transaction(tx -> {
                            transactionRuns.incrementAndGet();
                            tx.write(base + "/count", Long.toString(Long.parseLong(readOr(tx, base + "/count", "0")) + 1));
                            return null;
                        });
                        committed[thread]++;
                    }
                }
                operations.incrementAndGet();
            }
            return null;
        }

        /** Stops the threads, rethrows the first failure (fails if a call hung), checks every thread's state. */
        void stopAndCheck() throws Exception {
            stopping.set(true);
            for (Future<?> f : workers) {
                f.get(3, TimeUnit.MINUTES);
            }
            for (int t = 0; t < committed.length; t++) {
                String base = root + "/t" + t;
                assertEquals(Long.toString(committed[t]), readOr(xs, base + "/count", "0"), base + "/count");
                assertEquals(lastWritten[t], readOr(xs, base + "/k", null), base + "/k");
            }
        }

        @Override
        public String toString() {
            return String.format("%d operations, %d transactions committed in %d runs", operations.get(),
                    LongStream.of(committed).sum(), transactionRuns.get());
        }

        /** Stops the threads without waiting (after a failure elsewhere). */
        @Override
        public void close() {
            stopping.set(true);
            pool.shutdownNow();
        }
    }

    /** The WARNING (and worse) lines a logger tree writes while the test runs. */
    static final class WarningRecorder extends Handler {
        private final Logger logger;
        private final List<String> messages = new CopyOnWriteArrayList<>();

        private WarningRecorder(Logger logger) {
            this.logger = logger;
        }

        static WarningRecorder on(String name) {
            WarningRecorder r = new WarningRecorder(Logger.getLogger(name));
            r.setLevel(Level.WARNING);
            r.logger.addHandler(r);
            return r;
        }

        List<String> messages() {
            return List.copyOf(messages);
        }

        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                messages.add(record.getLoggerName() + ": " + record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
