package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.testsupport.TestSize;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.AsyncXenstoreOperations;
import org.jxenbus.xenstore.api.ConflictException;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.ConnectionStatistics;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.OutcomeUnknownException;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.RequestScope;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.XenstoreCancelledException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreInterruptedException;
import org.jxenbus.xenstore.api.XenstoreOperations;
import org.jxenbus.xenstore.api.XenstoreTimeoutException;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.jxenbus.xenstore.spi.wire.XsWire;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The request lifecycle (docs/request-lifecycle.md) under randomized schedules, against the real xenstored
 * through two reordering proxies. 16 threads each run a fixed number of operations on their own keys (read,
 * write, mkdir or rm, directory, a transaction incrementing a counter, a raw watch set and closed), each with
 * a fate chosen at random: complete normally; be cancelled at a random moment (the future, or the
 * {@link RequestScope} of the blocking form); be interrupted while blocked; or time out while the proxy holds
 * its reply back (a scope of 150-300 ms on connection A; transactions and watches on connection B, whose
 * requests time out after 250 ms and whose proxy holds 60 % of the replies back up to 600 ms). Held replies
 * arrive late, on the same client connection only. Meanwhile a controller swaps A's transport at random
 * moments: the proxy ends the stream once xenstored has answered what it was sent (the connection is lost and
 * replaced; later requests on the old stream are dropped), or the suspend gate drains and re-initialises it.
 *
 * <p>Every call must end within 30 s in an outcome its fate (and a swap it overlapped) allows; each thread's
 * model of its keys and counter must agree with every read. Afterwards nothing is in flight or queued, the
 * stream is in sync, xenstored holds no transaction or watch of an abandoned request (counted on the wire by
 * the proxies' hooks; and no write fires a watch nobody holds, since xenstored's {@code quota 0} counts only the
 * ring's watches, not a socket's), every transaction slot is free, and the I/O threads are gone. Prints what was
 * explored and the seed: {@code -Djxenbus.stress.seed=N} replays the random choices (not the threads' schedule).
 */
@Tag("socket-only") // through the reordering proxies, which speak to a socket
@ExtendWith(XenstoredExtension.class)
class RequestLifecycleStressTest {

    private static final int THREADS = 16;
    private static final int KEYS = 4;
    private static final String ROOT = "/lifecycle";
    /** A key's state when the node does not exist (values written here never look like this). */
    private static final String ABSENT = "<absent>";
    private static final long HANG_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** How soon an interrupted call must return, even on a loaded machine. */
    /** How long workers go on past their operations while the swaps have not been explored yet. */
    private static final long EXPLORE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long PROMPT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final ConnectionOptions A_OPTIONS = ConnectionOptions.defaults()
            .withRequestTimeout(Duration.ofSeconds(20));
    private static final ConnectionOptions B_OPTIONS = ConnectionOptions.defaults()
            .withRequestTimeout(Duration.ofMillis(250));

    private enum Verb {
        READ, WRITE, MKDIR_RM, DIRECTORY, TRANSACTION, WATCH;

        boolean changes() {
            return this != READ && this != DIRECTORY;
        }

        /** Whether a loss of the connection may leave its effect unknown (a WATCH is simply set again). */
        boolean lostChangeUnknown() {
            return this == WRITE || this == MKDIR_RM || this == TRANSACTION;
        }
    }

    private enum Fate { NORMAL, CANCEL, INTERRUPT, TIMEOUT }

    private enum Outcome {
        SUCCESS, CANCELLED, TIMEOUT, INTERRUPTED, CONFLICT, UNKNOWN_TIMEOUT, UNKNOWN_CANCELLED, UNKNOWN_INTERRUPTED,
        UNKNOWN_CONNECTION_LOST;

        boolean interrupted() {
            return this == INTERRUPTED || this == UNKNOWN_INTERRUPTED;
        }

        boolean unknown() {
            return name().startsWith("UNKNOWN_");
        }
    }

    /** How a cancellation was made: the verb's future, or the blocking form's scope. */
    private enum CancelForm { NONE, FUTURE, SCOPE }

    @Test
    void everyCallEndsAsItsFateAllowsUnderRandomSchedulesOfLateRepliesAndSwaps(FakeXenHost host) throws Exception {
        long seed = Long.getLong("jxenbus.stress.seed", System.nanoTime());
        int opsPerThread = TestSize.pick(300, 3000);
        System.out.printf("request lifecycle stress: seed %d (-Djxenbus.stress.seed=%d replays the choices), "
                + "%d threads x %d operations, server %s%n", seed, seed, THREADS, opsPerThread,
                FakeXenHost.simulated() ? "simulator" : "xenstored");
        long threadsBefore = TransportFailureTest.connectionThreads();
        long started = System.nanoTime();
        try (ReorderingProxy proxyA = ReorderingProxy.start(host.socket(), host.dir().resolve("stress-a.socket"));
                ReorderingProxy proxyB = ReorderingProxy.start(host.socket(), host.dir().resolve("stress-b.socket"));
                Wire wireA = new Wire("A", proxyA, 0, 0, seed + 1);
                Wire wireB = new Wire("B", proxyB, 0.6, 600, seed + 2);
                XenstoreConnection a = Xenstore.open(proxyA.uri(), A_OPTIONS);
                XenstoreConnection b = Xenstore.open(proxyB.uri(), B_OPTIONS)) {
            proxyA.reorderReplies(4, 2);
            proxyA.duplicateEveryNthReply(101);
            a.mkdir(ROOT);
            a.rm(ROOT);
            for (int t = 0; t < THREADS; t++) {
                a.mkdir(base(t));
            }
            unhurried(b).exists(ROOT); // B's first pair is seen before anything is held back
            Run run = new Run(seed, a, b, wireA, wireB);
            run.go(opsPerThread);
            wireB.stopHolding();
            try {
                awaitQuiet(a, wireA);
                awaitQuiet(b, wireB);
                for (XenstoreOperations xs : List.of(a, unhurried(b))) {
                    String value = "in sync " + xs.hashCode();
                    xs.write(ROOT + "/after", value);
                    assertEquals(value, xs.read(ROOT + "/after"), "the stream is in sync");
                }
                assertEveryTransactionSlotIsFree(a);
                assertNoWatchIsLeftOnTheServer(a, b);
            } finally {
                run.report(proxyA, System.nanoTime() - started);
            }
            run.assertNothingWentWrong();
            run.assertEveryFateWasExplored();
            ConnectionStatistics sa = a.statistics();
            ConnectionStatistics sb = b.statistics();
            assertTrue(sa.lateReplies() > 0 && sb.lateReplies() > 0,
                    "timeouts met late replies: A " + sa + ", B " + sb);
            assertTrue(sa.compensations() + sb.compensations() > 0,
                    "abandoned transaction starts and watches were undone: A " + sa + ", B " + sb);
            assertTrue(sa.unknownReplies() <= proxyA.duplicatedReplies(), "only duplicates are unknown: " + sa);
            assertEquals(0, sb.unknownReplies(), "every late reply met its request: " + sb);
        }
        WatchServiceTest.await(() -> TransportFailureTest.connectionThreads() <= threadsBefore);
    }

    /** B's verbs with a timeout a loaded machine cannot run out of, for the checks after the run. */
    private static XenstoreOperations unhurried(XenstoreConnection b) {
        return b.within(RequestScope.withTimeout(A_OPTIONS.requestTimeout()));
    }

    private static String base(int thread) {
        return ROOT + "/t" + thread;
    }

    /** Waits until nothing is in flight or queued and the server holds nothing open for the connection. */
    private static void awaitQuiet(XenstoreConnection xs, Wire wire) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!quiet(xs, wire) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(quiet(xs, wire), xs.describe() + ": " + xs.statistics() + "; held open on the server by "
                + wire.name + "'s connection now: " + wire.openOnServer());
    }

    private static boolean quiet(XenstoreConnection xs, Wire wire) {
        ConnectionStatistics s = xs.statistics();
        return s.inFlight() == 0 && s.queued() == 0 && wire.openOnServer().isEmpty();
    }

    /** All of the connection's transaction slots can be taken at once: none was lost to an abandoned request. */
    private static void assertEveryTransactionSlotIsFree(XenstoreConnection xs) throws Exception {
        int slots = A_OPTIONS.maxOpenTransactions();
        ExecutorService opener = Executors.newSingleThreadExecutor();
        List<Transaction> open = new CopyOnWriteArrayList<>();
        try {
            Future<?> all = opener.submit(() -> {
                for (int i = 0; i < slots; i++) {
                    open.add(xs.beginTransaction());
                }
            });
            try {
                all.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                fail("only " + open.size() + " of " + slots + " transactions could be open at once: a slot was lost");
            }
        } finally {
            opener.shutdownNow();
            open.forEach(Transaction::close);
        }
    }

    /**
     * A watch the server kept for an abandoned request would fire on a write under its path: none may. Every
     * thread's watched path is written, then each connection makes a round trip (its reply comes after any event
     * those writes made for it), and neither may have received an event for a token it does not hold.
     */
    private static void assertNoWatchIsLeftOnTheServer(XenstoreConnection a, XenstoreConnection b) {
        long before = a.statistics().unknownWatchEvents() + b.statistics().unknownWatchEvents();
        for (int t = 0; t < THREADS; t++) {
            a.write(base(t) + "/w", "after");
        }
        for (XenstoreOperations xs : List.of(a, unhurried(b))) {
            assertEquals("after", xs.read(base(0) + "/w"));
        }
        long after = a.statistics().unknownWatchEvents() + b.statistics().unknownWatchEvents();
        assertEquals(before, after, "events of watches the server kept for abandoned requests: A " + a.statistics()
                + ", B " + b.statistics());
    }

    /** The run's shared state: connections, wires, helpers, the table of what happened, the failures. */
    private static final class Run {
        final long seed;
        final XenstoreConnection a;
        final XenstoreConnection b;
        final Wire wireA;
        final Wire wireB;
        /** Sends interrupts and scope cancellations at random moments. */
        final ScheduledExecutorService helper = Executors.newScheduledThreadPool(2, named("stress-helper"));
        /** Odd while a swap is under way. */
        final AtomicLong swapEpoch = new AtomicLong();
        final LongAdder streamsEnded = new LongAdder();
        final LongAdder suspensions = new LongAdder();
        /** When each worker's (and, last, the controller's) current call began; 0 between calls. */
        final AtomicLongArray callStarted = new AtomicLongArray(THREADS + 1);
        final Map<String, Map<Outcome, LongAdder>> table = new ConcurrentHashMap<>();
        final Map<Fate, LongAdder> fates = new ConcurrentHashMap<>();
        final Map<Outcome, LongAdder> outcomes = new ConcurrentHashMap<>();
        final LongAdder swapped = new LongAdder();
        final LongAdder interruptsSent = new LongAdder();
        final LongAdder futuresCancelled = new LongAdder();
        final LongAdder scopesCancelled = new LongAdder();
        final LongAdder transactionWritesCancelled = new LongAdder();
        final LongAdder watchEvents = new LongAdder();
        final AtomicLong slowestInterruptedReturn = new AtomicLong();
        final List<String> failures = new CopyOnWriteArrayList<>();
        volatile String hang;
        volatile boolean stop;

        Run(long seed, XenstoreConnection a, XenstoreConnection b, Wire wireA, Wire wireB) {
            this.seed = seed;
            this.a = a;
            this.b = b;
            this.wireA = wireA;
            this.wireB = wireB;
        }

        /** Runs the workers to their end with the controller swapping and the watchdog watching. */
        void go(int opsPerThread) throws Exception {
            ExecutorService workers = Executors.newFixedThreadPool(THREADS, named("stress-worker"));
            Thread controller = new Thread(() -> swapAtRandom(new Random(seed)), "stress-swapper");
            Thread watchdog = new Thread(this::watch, "stress-watchdog");
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    Worker w = new Worker(this, t, new Random(seed * 31 + t + 1));
                    done.add(workers.submit(() -> w.run(opsPerThread)));
                }
                controller.start();
                watchdog.start();
                for (Future<?> f : done) {
                    while (!f.isDone()) {
                        if (hang != null) {
                            fail(hang);
                        }
                        Thread.sleep(20);
                    }
                    f.get();
                }
            } finally {
                stop = true;
                controller.join(TimeUnit.SECONDS.toMillis(40));
                watchdog.join();
                workers.shutdownNow();
                helper.shutdownNow();
            }
            if (hang != null) {
                fail(hang);
            }
        }

        /** Swaps A's transport at random moments: the stream ended by the proxy, or a suspension. */
        private void swapAtRandom(Random random) {
            boolean firstEnds = random.nextBoolean();
            try {
                while (!stop) {
                    Thread.sleep(200 + random.nextInt(1000));
                    if (stop || !awaitCurrentConnectionSeen()) {
                        return;
                    }
                    long swaps = streamsEnded.sum() + suspensions.sum();
                    // the first four swaps take turns, so both kinds happen even in a short run
                    boolean end = swaps < 4 ? swaps % 2 == (firstEnds ? 0 : 1) : random.nextBoolean();
                    int grace = random.nextInt(50);
                    swapEpoch.incrementAndGet();
                    callStarted.set(THREADS, System.nanoTime());
                    try {
                        if (end) {
                            wireA.endStream();
                            streamsEnded.increment();
                            awaitCurrentConnectionSeen();
                        } else {
                            a.suspendControl().suspend(Duration.ofMillis(grace));
                            wireA.nextGeneration();
                            a.suspendControl().resume(true);
                            suspensions.increment();
                        }
                    } finally {
                        callStarted.set(THREADS, 0);
                        swapEpoch.incrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | IOException | AssertionError e) {
                failures.add("swap failed: " + e);
            }
        }

        /** Waits until A's current client connection carried a request and a reply, or the run stops. */
        private boolean awaitCurrentConnectionSeen() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!wireA.currentSeen()) {
                if (stop) {
                    return false;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("A's connection carried no request and reply for 10 s: " + a.statistics());
                }
                Thread.sleep(1);
            }
            return true;
        }

        /** Fails the run, with the stacks of the connection's and the test's threads, when a call takes 30 s. */
        private void watch() {
            while (!stop) {
                long now = System.nanoTime();
                for (int t = 0; t <= THREADS; t++) {
                    long s = callStarted.get(t);
                    if (s != 0 && now - s > HANG_NANOS) {
                        hang = (t == THREADS ? "the swap" : "a call of worker " + t) + " took more than 30 s (seed "
                                + seed + "); A " + a.statistics() + ", B " + b.statistics() + "\n" + threadDump();
                        return;
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
            }
        }

        void record(Verb verb, Fate fate, boolean overlappedSwap, Outcome outcome) {
            String key = verb.name().toLowerCase() + "/" + fate.name().toLowerCase() + (overlappedSwap ? "+swap" : "");
            table.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).computeIfAbsent(outcome, o -> new LongAdder())
                    .increment();
            fates.computeIfAbsent(fate, f -> new LongAdder()).increment();
            outcomes.computeIfAbsent(outcome, o -> new LongAdder()).increment();
            if (overlappedSwap) {
                swapped.increment();
            }
        }

        void failure(String what) {
            if (failures.size() < 200) {
                failures.add(what);
            }
        }

        void report(ReorderingProxy proxyA, long nanos) {
            StringBuilder out = new StringBuilder();
            out.append(String.format("request lifecycle stress, seed %d, %.1f s:%n", seed, nanos / 1e9));
            for (Map.Entry<String, Map<Outcome, LongAdder>> row : new TreeMap<>(table).entrySet()) {
                long total = row.getValue().values().stream().mapToLong(LongAdder::sum).sum();
                out.append(String.format("  %-26s %6d ops: %s%n", row.getKey(), total, outcomesOf(row.getValue())));
            }
            out.append(String.format("  all: %s%n", outcomesOf(outcomes)));
            out.append(String.format("  swaps of A: %d streams ended by the proxy, %d suspend/resume; %d ops "
                    + "overlapped one%n", streamsEnded.sum(), suspensions.sum(), swapped.sum()));
            out.append(String.format("  %d interrupts sent (slowest return %.1f ms), %d futures and %d scopes "
                    + "cancelled, %d transaction writes cancelled, %d watch events%n", interruptsSent.sum(),
                    slowestInterruptedReturn.get() / 1e6, futuresCancelled.sum(), scopesCancelled.sum(),
                    transactionWritesCancelled.sum(), watchEvents.sum()));
            for (Wire w : List.of(wireA, wireB)) {
                out.append(String.format("  proxy %s: %s%n", w.name, w));
            }
            out.append(String.format("  proxy A reordered %d and duplicated %d replies%n", proxyA.reorderedReplies(),
                    proxyA.duplicatedReplies()));
            ConnectionStatistics sa = a.statistics();
            ConnectionStatistics sb = b.statistics();
            out.append(String.format("  late replies: A %d, B %d; compensations: A %d, B %d; unknown replies: "
                    + "A %d, B %d%n", sa.lateReplies(), sb.lateReplies(), sa.compensations(), sb.compensations(),
                    sa.unknownReplies(), sb.unknownReplies()));
            out.append(String.format("  A: %s%n  B: %s%n", sa, sb));
            out.append(String.format("  A: %s%n  B: %s%n", a.metrics(), b.metrics()));
            failures.stream().limit(20).forEach(f -> out.append("  FAILURE ").append(f).append('\n'));
            System.out.print(out);
        }

        private static String outcomesOf(Map<Outcome, LongAdder> counts) {
            StringBuilder s = new StringBuilder();
            for (Outcome o : Outcome.values()) {
                LongAdder n = counts.get(o);
                if (n != null) {
                    s.append(s.length() == 0 ? "" : ", ").append(n.sum()).append(' ')
                            .append(o.name().toLowerCase().replace('_', ' '));
                }
            }
            return s.toString();
        }

        void assertNothingWentWrong() {
            if (!failures.isEmpty()) {
                fail(failures.size() + " failures (seed " + seed + "), the first:\n  "
                        + String.join("\n  ", failures.subList(0, Math.min(20, failures.size()))));
            }
        }

        /** Whether both kinds of swap happened twice and calls overlapped them: what the workers run on for. */
        boolean swapsExplored() {
            return streamsEnded.sum() >= 2 && suspensions.sum() >= 2 && swapped.sum() >= 5;
        }

        /** The run cannot pass by exploring nothing: every fate happened, and each really bit a few times. */
        void assertEveryFateWasExplored() {
            for (Fate f : Fate.values()) {
                assertTrue(count(fates, f) >= 50, f + " chosen " + count(fates, f) + " times");
            }
            assertTrue(count(outcomes, Outcome.CANCELLED) + count(outcomes, Outcome.UNKNOWN_CANCELLED) >= 5,
                    "calls really were cancelled");
            assertTrue(count(outcomes, Outcome.INTERRUPTED) + count(outcomes, Outcome.UNKNOWN_INTERRUPTED) >= 5,
                    "calls really were interrupted");
            assertTrue(count(outcomes, Outcome.TIMEOUT) + count(outcomes, Outcome.UNKNOWN_TIMEOUT) >= 5,
                    "calls really timed out");
            assertTrue(streamsEnded.sum() >= 2 && suspensions.sum() >= 2, "both kinds of swap happened: "
                    + streamsEnded.sum() + " streams ended, " + suspensions.sum() + " suspensions");
            assertTrue(swapped.sum() >= 5, "calls overlapped swaps: " + swapped.sum());
        }

        private static <K> long count(Map<K, LongAdder> counts, K key) {
            LongAdder n = counts.get(key);
            return n == null ? 0 : n.sum();
        }
    }

    /** One thread's operations on its own keys, with its model of them. */
    private static final class Worker {
        private final Run run;
        private final int index;
        private final Random random;
        private final String base;
        private final Map<String, Set<String>> keys = new HashMap<>();
        /** The last calls on each key (and on the counter), for the message of a model failure. */
        private final Map<String, java.util.ArrayDeque<String>> history = new HashMap<>();
        /** The key the current call is on, if any. */
        private String touched;
        /** The counter's value lies in [low, high]: high grows by one per transaction of unknown outcome. */
        private long countLow;
        private long countHigh;

        Worker(Run run, int index, Random random) {
            this.run = run;
            this.index = index;
            this.random = random;
            this.base = base(index);
            for (int k = 0; k < KEYS; k++) {
                keys.put("k" + k, new HashSet<>(Set.of(ABSENT)));
            }
        }

        /** Runs {@code ops} calls, and more until the swaps were explored (a fast machine ends sooner). */
        Void run(int ops) {
            long deadline = System.nanoTime() + EXPLORE_NANOS;
            for (int i = 0; !run.stop && (i < ops || !run.swapsExplored() && System.nanoTime() < deadline); i++) {
                try {
                    one(i);
                } catch (RuntimeException | AssertionError e) {
                    run.failure("worker " + index + " op " + i + ": " + e);
                }
            }
            return null;
        }

        /** One call: a verb and a fate chosen at random, run, then judged. */
        private void one(int op) {
            Verb verb = Verb.values()[random.nextInt(Verb.values().length)];
            Fate fate = fateFor(verb);
            boolean onA = fate != Fate.TIMEOUT || !(verb == Verb.TRANSACTION || verb == Verb.WATCH);
            long epoch = run.swapEpoch.get();
            Call call = new Call(fate);
            run.callStarted.set(index, System.nanoTime());
            try {
                switch (verb) {
                    case READ -> read(call);
                    case WRITE -> write(call, op);
                    case MKDIR_RM -> mkdirOrRm(call);
                    case DIRECTORY -> directory(call);
                    case TRANSACTION -> transaction(call);
                    default -> watch(call);
                }
            } finally {
                run.callStarted.set(index, 0);
            }
            boolean overlappedSwap = onA && ((epoch & 1) == 1 || run.swapEpoch.get() != epoch);
            String what = "worker " + index + " op " + op + " " + verb + "/" + fate + (overlappedSwap ? "+swap" : "")
                    + (call.form == CancelForm.NONE ? "" : " by " + call.form);
            remember(what, call);
            if (call.outcome == null) {
                run.failure(what + ": unexpected " + describe(call.thrown));
                return;
            }
            run.record(verb, fate, overlappedSwap, call.outcome);
            check(what, allowed(verb, call, overlappedSwap), call);
        }

        /** The oracle of one call: an allowed outcome; an interrupted one returned promptly with its flag kept. */
        private void check(String what, Set<Outcome> allowed, Call call) {
            if (!allowed.contains(call.outcome)) {
                run.failure(what + ": " + call.outcome + " is not one of " + allowed + ": " + describe(call.thrown));
            }
            if (call.outcome.interrupted() && !call.flagKept) {
                run.failure(what + ": " + call.outcome + " without the interrupt flag kept");
            }
            if (call.interruptedAt != 0 && call.outcome.interrupted()) {
                long took = call.returnedAt - call.interruptedAt;
                run.slowestInterruptedReturn.accumulateAndGet(took, Math::max);
                if (took > PROMPT_NANOS) {
                    run.failure(what + ": returned " + took / 1_000_000 + " ms after its interrupt");
                }
            }
            if (call.fate != Fate.INTERRUPT && Thread.interrupted()) {
                run.failure(what + ": the thread was left interrupted");
            }
        }

        /** Adds the call to the history of the key it was on. */
        private void remember(String what, Call call) {
            if (touched == null) {
                return;
            }
            java.util.ArrayDeque<String> h = history.computeIfAbsent(touched, k -> new java.util.ArrayDeque<>());
            h.addLast(what.substring(what.indexOf(" op ") + 1) + " " + (call.outcome == null ? call.thrown
                    : call.outcome) + (call.value == null ? "" : " " + call.value));
            if (h.size() > 8) {
                h.removeFirst();
            }
            touched = null;
        }

        private Fate fateFor(Verb verb) {
            int r = random.nextInt(verb == Verb.WATCH ? 7 : 9);
            if (r < 4) {
                return Fate.NORMAL;
            }
            if (r < 6) {
                return Fate.INTERRUPT;
            }
            if (r < 7) {
                return Fate.TIMEOUT;
            }
            return Fate.CANCEL;
        }

        /** What the fate allows, after request-lifecycle.md's table; a swap adds what a lost connection may do. */
        private static Set<Outcome> allowed(Verb verb, Call call, boolean overlappedSwap) {
            Set<Outcome> ok = EnumSet.of(Outcome.SUCCESS);
            switch (call.fate) {
                case CANCEL -> {
                    if (call.form != CancelForm.NONE) {
                        ok.add(Outcome.CANCELLED);
                    }
                    if (call.form == CancelForm.SCOPE && verb.changes()) {
                        ok.add(Outcome.UNKNOWN_CANCELLED);
                    }
                }
                case INTERRUPT -> {
                    ok.add(Outcome.INTERRUPTED);
                    if (verb.changes()) {
                        ok.add(Outcome.UNKNOWN_INTERRUPTED);
                    }
                }
                case TIMEOUT -> {
                    ok.add(Outcome.TIMEOUT);
                    if (verb.changes()) {
                        ok.add(Outcome.UNKNOWN_TIMEOUT);
                    }
                }
                default -> {
                }
            }
            if (overlappedSwap && verb.lostChangeUnknown()) {
                ok.add(Outcome.UNKNOWN_CONNECTION_LOST);
            }
            if (verb == Verb.TRANSACTION && (overlappedSwap || call.fate == Fate.CANCEL)) {
                ok.add(Outcome.CONFLICT); // stale in every attempt; or EAGAIN for the one attempt under CANCEL
            }
            return ok;
        }

        private String path(String key) {
            return base + "/" + key;
        }

        private String pickKey() {
            touched = "k" + random.nextInt(KEYS);
            return touched;
        }

        private String historyOf(String key) {
            return "; its last calls: " + history.getOrDefault(key, new java.util.ArrayDeque<>());
        }

        private void read(Call call) {
            String key = pickKey();
            String path = path(key);
            Object got = simple(call, XsMessageType.XS_READ, path, ops -> readOrAbsent(() -> ops.read(path)),
                    async -> async.read(path));
            if (call.outcome == Outcome.SUCCESS) {
                call.value = "= " + got;
                observe(key, (String) got);
            }
        }

        private void write(Call call, int op) {
            String key = pickKey();
            String path = path(key);
            String value = "v" + index + "-" + op;
            call.value = value;
            simple(call, XsMessageType.XS_WRITE, path, ops -> {
                ops.write(path, value);
                return null;
            }, async -> async.write(path, value));
            change(key, call, p -> value);
        }

        private void mkdirOrRm(Call call) {
            String key = pickKey();
            String path = path(key);
            call.value = random.nextBoolean() ? "mkdir" : "rm";
            if (call.value.equals("mkdir")) {
                simple(call, XsMessageType.XS_MKDIR, path, ops -> {
                    ops.mkdir(path);
                    return null;
                }, async -> async.mkdir(path));
                change(key, call, p -> p.equals(ABSENT) ? "" : p);
            } else {
                simple(call, XsMessageType.XS_RM, path, ops -> {
                    ops.rm(path);
                    return null;
                }, async -> async.rm(path));
                change(key, call, p -> ABSENT);
            }
        }

        private void directory(Call call) {
            Object got = simple(call, XsMessageType.XS_DIRECTORY, base, ops -> ops.directory(base),
                    async -> async.directory(base));
            if (call.outcome != Outcome.SUCCESS) {
                return;
            }
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) got;
            for (String name : names) {
                if (!keys.containsKey(name) && !name.equals("count")) {
                    run.failure("worker " + index + ": directory " + base + " lists " + name + ": " + names);
                }
            }
            for (Map.Entry<String, Set<String>> k : keys.entrySet()) {
                Set<String> possible = k.getValue();
                if (names.contains(k.getKey())) {
                    possible.remove(ABSENT);
                    if (possible.isEmpty()) {
                        run.failure("worker " + index + ": directory lists " + k.getKey() + ", which cannot exist"
                                + historyOf(k.getKey()));
                        possible.add("");
                    }
                } else {
                    if (!possible.contains(ABSENT)) {
                        run.failure("worker " + index + ": directory misses " + k.getKey() + ", which holds one of "
                                + possible + historyOf(k.getKey()));
                    }
                    possible.clear();
                    possible.add(ABSENT);
                }
            }
        }

        /**
         * Reads the counter, then writes it plus one: through {@code transaction(work)}, which reruns on EAGAIN;
         * under CANCEL in a transaction of its own whose write's future is cancelled at a random moment.
         */
        private void transaction(Call call) {
            String count = base + "/count";
            touched = "count";
            List<Long> reads = new ArrayList<>();
            boolean[] writeCancelled = new boolean[1];
            XenstoreConnection xs = call.fate == Fate.TIMEOUT ? run.b : run.a;
            if (call.fate == Fate.INTERRUPT && random.nextBoolean()) {
                run.wireA.holdNext(XsMessageType.XS_TRANSACTION_START, "", 5 + random.nextInt(150));
            }
            if (call.fate == Fate.CANCEL) {
                maybeHold(XsMessageType.XS_WRITE, count);
                int pauseNanos = random.nextInt(3) == 0 ? 0 : random.nextInt(2_000_000);
                call.run(this, () -> {
                    try (Transaction tx = xs.beginTransaction()) {
                        long n = readCounter(tx, count, reads);
                        CompletableFuture<Void> w = tx.async().write(count, Long.toString(n + 1));
                        LockSupport.parkNanos(pauseNanos);
                        writeCancelled[0] = w.cancel(false);
                        if (!writeCancelled[0]) {
                            try {
                                w.join();
                            } catch (CompletionException e) {
                                throw (RuntimeException) e.getCause();
                            }
                        }
                        tx.commit();
                    }
                    return null;
                });
            } else {
                call.run(this, () -> xs.transaction(tx -> {
                    long n = readCounter(tx, count, reads);
                    tx.write(count, Long.toString(n + 1));
                    return null;
                }));
            }
            for (long n : reads) {
                if (n < countLow || n > countHigh) {
                    run.failure("worker " + index + ": counter read " + n + " outside [" + countLow + ", " + countHigh
                            + "] (" + call.fate + ", " + call.outcome + ")" + historyOf("count"));
                }
            }
            call.value = reads;
            if (call.outcome == Outcome.SUCCESS) {
                long last = reads.get(reads.size() - 1);
                if (writeCancelled[0]) {
                    run.transactionWritesCancelled.increment();
                }
                countLow = writeCancelled[0] ? last : last + 1;
                countHigh = last + 1;
            } else if (call.outcome != null && call.outcome.unknown()) {
                countHigh++;
            }
        }

        private static long readCounter(XenstoreOperations tx, String count, List<Long> reads) {
            long n;
            try {
                n = Long.parseLong(tx.read(count));
            } catch (NoSuchNodeException e) {
                n = 0;
            }
            reads.add(n);
            return n;
        }

        private void watch(Call call) {
            String path = base + "/w";
            XenstoreConnection xs = call.fate == Fate.TIMEOUT ? run.b : run.a;
            if (call.fate == Fate.INTERRUPT && random.nextBoolean()) {
                run.wireA.holdNext(XsMessageType.XS_WATCH, path, 5 + random.nextInt(150));
            }
            call.run(this, () -> {
                try (RawWatch w = xs.watch(path, e -> run.watchEvents.increment())) {
                    return w.token();
                }
            });
        }

        /**
         * One verb on a single path, in its blocking form on A or (when cancelled through its future) its
         * asynchronous form; under TIMEOUT within a 150-300 ms scope while the proxy holds the reply longer.
         */
        private Object simple(Call call, XsMessageType type, String path, Function<XenstoreOperations, Object> blocking,
                Function<AsyncXenstoreOperations, CompletableFuture<?>> async) {
            switch (call.fate) {
                case NORMAL:
                    return call.run(this, () -> blocking.apply(run.a));
                case TIMEOUT: {
                    int timeout = 150 + random.nextInt(151);
                    run.wireA.holdNext(type, path, timeout + 20 + random.nextInt(380));
                    XenstoreOperations scoped = run.a.within(RequestScope.withTimeout(Duration.ofMillis(timeout)));
                    return call.run(this, () -> blocking.apply(scoped));
                }
                case INTERRUPT:
                    maybeHold(type, path);
                    return call.run(this, () -> blocking.apply(run.a));
                default:
                    break;
            }
            maybeHold(type, path);
            int pauseNanos = random.nextInt(3) == 0 ? 0 : random.nextInt(3_000_000);
            if (random.nextBoolean()) {
                call.form = CancelForm.FUTURE;
                return call.run(this, () -> {
                    CompletableFuture<?> f = async.apply(run.a.async());
                    LockSupport.parkNanos(pauseNanos);
                    if (f.cancel(false)) {
                        run.futuresCancelled.increment();
                    }
                    try {
                        return f.get(HANG_NANOS, TimeUnit.NANOSECONDS);
                    } catch (ExecutionException e) {
                        if (type == XsMessageType.XS_READ && e.getCause() instanceof NoSuchNodeException) {
                            return ABSENT;
                        }
                        throw (RuntimeException) e.getCause();
                    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
                        throw new AssertionError("a cancelled future did not end", e);
                    }
                });
            }
            call.form = CancelForm.SCOPE;
            RequestScope scope = RequestScope.create();
            run.helper.schedule(() -> {
                scope.cancel();
                run.scopesCancelled.increment();
            }, pauseNanos, TimeUnit.NANOSECONDS);
            return call.run(this, () -> blocking.apply(run.a.within(scope)));
        }

        /** Half the time, the proxy holds the reply back a little, so the call is abandoned after its write. */
        private void maybeHold(XsMessageType type, String path) {
            if (random.nextBoolean()) {
                run.wireA.holdNext(type, path, 5 + random.nextInt(150));
            }
        }

        /** A change's effect on the model: certain on success, possible when unknown, none when refused. */
        private void change(String key, Call call, Function<String, String> effect) {
            Set<String> possible = keys.get(key);
            Set<String> after = new HashSet<>();
            possible.forEach(p -> after.add(effect.apply(p)));
            Outcome o = call.outcome;
            if (o == Outcome.SUCCESS) {
                possible.clear();
                possible.addAll(after);
            } else if (o != null && (o.unknown() || (o == Outcome.CANCELLED && call.form == CancelForm.FUTURE))) {
                possible.addAll(after);
            }
        }

        /** A read settles the key: earlier writes on the same stream were all applied or dropped before it. */
        private void observe(String key, String got) {
            Set<String> possible = keys.get(key);
            if (!possible.contains(got)) {
                run.failure("worker " + index + ": read " + path(key) + " = " + got + ", not one of " + possible
                        + historyOf(key));
            }
            possible.clear();
            possible.add(got);
        }

        private static String readOrAbsent(Supplier<String> read) {
            try {
                return read.get();
            } catch (NoSuchNodeException e) {
                return ABSENT;
            }
        }

    }

    /** One call: its fate, how it was cancelled, how it ended, and the interrupt's timing. */
    private static final class Call {
        final Fate fate;
        CancelForm form = CancelForm.NONE;
        /** What the call wrote or read, for the history. */
        Object value;
        Outcome outcome;
        Throwable thrown;
        long interruptedAt;
        long returnedAt;
        boolean flagKept;

        Call(Fate fate) {
            this.fate = fate;
        }

        /** Runs the call (interrupted from the helper after a random delay under INTERRUPT); classifies its end. */
        Object run(Worker w, Supplier<Object> body) {
            Interrupter interrupter = null;
            if (fate == Fate.INTERRUPT) {
                interrupter = new Interrupter(Thread.currentThread());
                Interrupter i = interrupter;
                w.run.helper.schedule(() -> {
                    if (i.fire()) {
                        w.run.interruptsSent.increment();
                    }
                }, w.random.nextInt(3) == 0 ? 0 : w.random.nextInt(5_000_000), TimeUnit.NANOSECONDS);
            }
            Object value = null;
            try {
                value = body.get();
                outcome = Outcome.SUCCESS;
            } catch (RuntimeException e) {
                thrown = e;
                outcome = classify(e);
            } finally {
                returnedAt = System.nanoTime();
                if (interrupter != null) {
                    flagKept = interrupter.finish();
                    interruptedAt = interrupter.firedAt;
                }
            }
            return value;
        }

        private static Outcome classify(Throwable t) {
            if (t instanceof CancellationException || t instanceof XenstoreCancelledException) {
                return Outcome.CANCELLED;
            }
            if (t instanceof OutcomeUnknownException u) {
                return Outcome.valueOf("UNKNOWN_" + u.reason().name());
            }
            if (t instanceof XenstoreTimeoutException) {
                return Outcome.TIMEOUT;
            }
            if (t instanceof XenstoreInterruptedException) {
                return Outcome.INTERRUPTED;
            }
            if (t instanceof ConflictException) {
                return Outcome.CONFLICT;
            }
            return null;
        }
    }

    /** Interrupts its thread, but only while the call runs: never the next one, never the worker's own code. */
    private static final class Interrupter {
        private final Thread target;
        private boolean running = true;
        long firedAt;

        Interrupter(Thread target) {
            this.target = target;
        }

        synchronized boolean fire() {
            if (!running) {
                return false;
            }
            firedAt = System.nanoTime();
            target.interrupt();
            return true;
        }

        /** On the target thread once its call returned: whether the flag is set; clears it. */
        synchronized boolean finish() {
            running = false;
            return Thread.interrupted();
        }
    }

    /**
     * The test's hooks on one proxy. It numbers the proxy's client connections (generations: a swap starts the
     * next), holds chosen replies back and sends them late on their own connection only (never on a later one,
     * which no server would do), and counts on the wire what the server holds open for each connection:
     * transactions started and not ended, watches set and not removed.
     */
    private static final class Wire implements AutoCloseable {
        final String name;
        private final ReorderingProxy proxy;
        private volatile double holdEvery;
        private final int holdMaxMillis;
        private final Random random;
        private final ScheduledExecutorService late;
        /** Requests whose reply is to be held, by {@link #key}, with the time to hold it. */
        private final Map<String, Integer> holdRequests = new ConcurrentHashMap<>();
        private final LongAdder held = new LongAdder();
        private final LongAdder sentLate = new LongAdder();
        private final LongAdder lateDroppedWithTheirConnection = new LongAdder();
        private final LongAdder requestsDroppedWithTheirConnection = new LongAdder();
        // the rest under this object's lock
        private final Map<Thread, Integer> generationOf = new HashMap<>();
        private final Map<Integer, ClientConnection> connections = new HashMap<>();
        private final Map<Long, Integer> holdIds = new HashMap<>();
        private int generation;
        private boolean ending;
        private long transactionsLeftOpen;
        private long watchesLeftOpen;

        /** What one client connection sent and was answered, and what it holds open on the server. */
        private static final class ClientConnection {
            long forwarded;
            long answered;
            final Set<Integer> transactions = new HashSet<>();
            final Map<Integer, String> watchRequests = new HashMap<>();
            final Set<String> watches = new HashSet<>();
        }

        /**
         * @param holdEvery the share of all replies held back, besides those asked for by {@link #holdNext}
         * @param holdMaxMillis how long at most those are held
         */
        Wire(String name, ReorderingProxy proxy, double holdEvery, int holdMaxMillis, long seed) {
            this.name = name;
            this.proxy = proxy;
            this.holdEvery = holdEvery;
            this.holdMaxMillis = holdMaxMillis;
            this.random = new Random(seed);
            this.late = Executors.newSingleThreadScheduledExecutor(named("stress-late-" + name));
            proxy.onRequest(this::onRequest);
            proxy.rewriteReplies(this::onReply);
        }

        /** The reply to the next request of this type on this path (the first string of its payload) is held. */
        void holdNext(XsMessageType type, String path, int millis) {
            holdRequests.put(type.code() + ":" + path, millis);
        }

        private static String key(XsMessage m) {
            String payload = new String(m.payload(), java.nio.charset.StandardCharsets.UTF_8);
            int nul = payload.indexOf('\0');
            return m.type() + ":" + (nul < 0 ? payload : payload.substring(0, nul));
        }

        private static long id(int generation, int reqId) {
            return ((long) generation << 32) | Integer.toUnsignedLong(reqId);
        }

        private synchronized ClientConnection connection(int g) {
            return connections.computeIfAbsent(g, k -> new ClientConnection());
        }

        private synchronized int generationOfThisThread() {
            return generationOf.computeIfAbsent(Thread.currentThread(), t -> generation);
        }

        private synchronized List<XsMessage> onRequest(XsMessage m) throws IOException {
            int g = generationOfThisThread();
            while (ending && g == generation) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("proxy closing");
                }
            }
            if (g != generation) {
                requestsDroppedWithTheirConnection.increment();
                return List.of();
            }
            ClientConnection c = connection(g);
            c.forwarded++;
            if (m.type() == XsMessageType.XS_TRANSACTION_END.code()) {
                c.transactions.remove(m.txId());
            } else if (m.type() == XsMessageType.XS_WATCH.code()) {
                c.watchRequests.put(m.reqId(), strings(m));
            } else if (m.type() == XsMessageType.XS_UNWATCH.code()) {
                c.watches.remove(strings(m));
            }
            Integer hold = holdRequests.remove(key(m));
            if (hold != null) {
                holdIds.put(id(g, m.reqId()), hold);
            }
            return null;
        }

        private List<XsMessage> onReply(XsMessage m) {
            if (m.type() == XsMessageType.XS_WATCH_EVENT.code()) {
                return List.of(m);
            }
            synchronized (this) {
                int g = generationOfThisThread();
                ClientConnection c = connection(g);
                c.answered++;
                notifyAll();
                if (m.type() == XsMessageType.XS_TRANSACTION_START.code()) {
                    c.transactions.add(Integer.parseUnsignedInt(strings(m)));
                } else if (m.type() == XsMessageType.XS_WATCH.code()) {
                    String w = c.watchRequests.remove(m.reqId());
                    if (w != null) {
                        c.watches.add(w);
                    }
                } else if (m.type() == XsMessageType.XS_ERROR.code()) {
                    c.watchRequests.remove(m.reqId());
                }
                Integer hold = holdIds.remove(id(g, m.reqId()));
                if (hold == null && holdEvery > 0 && random.nextDouble() < holdEvery) {
                    hold = random.nextInt(holdMaxMillis + 1);
                }
                if (hold == null) {
                    return List.of(m);
                }
                try {
                    late.schedule(() -> sendLate(m, g), hold, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    return List.of(m);
                }
                held.increment();
                return List.of();
            }
        }

        private synchronized void sendLate(XsMessage m, int g) {
            if (g != generation) {
                lateDroppedWithTheirConnection.increment();
                return;
            }
            try {
                proxy.injectRaw(XsWire.encode(m), false);
                sentLate.increment();
            } catch (IOException e) {
                lateDroppedWithTheirConnection.increment();
            }
        }

        private static String strings(XsMessage m) {
            try {
                return String.join("\0", Payloads.stringList(m.payload()));
            } catch (MalformedMessageException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Ends the client's stream once the server answered every request it was sent (so none is applied
         * after the client moved on); requests still arriving on that stream are dropped.
         */
        synchronized void endStream() throws IOException, InterruptedException {
            ending = true;
            try {
                ClientConnection c = connection(generation);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (c.answered < c.forwarded) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("the server did not answer " + (c.forwarded - c.answered)
                                + " requests in 10 s");
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                leftOpen(c);
                generation++;
                proxy.injectRaw(new byte[0], true);
            } finally {
                ending = false;
                notifyAll();
            }
        }

        /** The client replaced its connection itself (after a suspension): what follows is a new generation. */
        synchronized void nextGeneration() {
            leftOpen(connection(generation));
            generation++;
        }

        /** Counts what the server held open when the connection went away (in use by a worker, or leaked). */
        private void leftOpen(ClientConnection c) {
            transactionsLeftOpen += c.transactions.size();
            watchesLeftOpen += c.watches.size();
        }

        /** Whether the current client connection carried a request and a reply: its threads are known. */
        synchronized boolean currentSeen() {
            ClientConnection c = connections.get(generation);
            return c != null && c.forwarded > 0 && c.answered > 0;
        }

        /** The transactions and watches the server holds open for the current client connection. */
        synchronized String openOnServer() {
            ClientConnection c = connections.get(generation);
            if (c == null || (c.transactions.isEmpty() && c.watches.isEmpty())) {
                return "";
            }
            return "transactions " + c.transactions + ", watches " + c.watches.toString().replace('\0', ' ');
        }

        /** From now on no reply is held back. */
        void stopHolding() {
            holdEvery = 0;
            holdRequests.clear();
        }

        @Override
        public synchronized String toString() {
            return String.format("%d client connections, %d replies held back (%d sent late, %d dropped with their "
                    + "connection), %d requests dropped with their connection; when a connection went away the server "
                    + "held %d transactions and %d watches of it open", connections.size(), held.sum(), sentLate.sum(),
                    lateDroppedWithTheirConnection.sum(), requestsDroppedWithTheirConnection.sum(),
                    transactionsLeftOpen, watchesLeftOpen);
        }

        @Override
        public void close() {
            late.shutdownNow();
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "nothing thrown";
        }
        StringBuilder s = new StringBuilder(t.toString());
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("org.jxenbus")) {
                s.append(" at ").append(e);
                break;
            }
        }
        return s.toString();
    }

    private static String threadDump() {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            String n = e.getKey().getName();
            if (n.startsWith("xenstore-") || n.startsWith("stress-") || n.startsWith("proxy-")) {
                s.append('"').append(n).append("\" ").append(e.getKey().getState()).append('\n');
                for (StackTraceElement f : e.getValue()) {
                    s.append("    at ").append(f).append('\n');
                }
            }
        }
        return s.toString();
    }
}
