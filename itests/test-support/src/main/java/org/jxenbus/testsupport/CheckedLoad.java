package org.jxenbus.testsupport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.OutcomeUnknownException;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.XenstoreTimeoutException;

/**
 * Threads loading one XenstoreService with checked reads, writes, asynchronous reads and transactions run by
 * {@code transaction(work)}, each thread in its own subtree with a model of what it wrote: every reply is
 * checked against the model. A write whose outcome is unknown leaves its key uncertain (either value) until
 * the next read settles it. Each thread's transactions increment its own counter, and the work checks the
 * counter it reads against the number of transactions the thread saw committed: a commit applied twice (or
 * lost) shows there. A transaction whose commit outcome is unknown (OutcomeUnknownException out of
 * {@code transaction(work)}) leaves the counter uncertain by one (each such commit applied once or not at all)
 * until the next transaction reads it.
 *
 * <p>Outcomes are counted by kind. {@link OutcomeUnknownException} is expected only for requests that
 * overlapped an unplanned window (a transport bundle stopped or updated, {@link #unplannedBegins()} ..
 * {@link #unplannedEnds()}); anywhere else, as any other error, it is a failure. Every thread records when its
 * current call began, so a call that does not return is seen ({@link #busiestMillis()}).
 */
public final class CheckedLoad {

    /** How a call ended. */
    public enum Outcome {
        READ, ASYNC_READ, WRITE, TRANSACTION, WRITE_OUTCOME_UNKNOWN, TRANSACTION_OUTCOME_UNKNOWN, TIMEOUT,
        OUTCOME_UNKNOWN_UNEXPECTED, WRONG_RESULT, OTHER_ERROR
    }

    private static final int KEYS = 8;
    private static final int MAX_FAILURES_KEPT = 20;

    private final XenstoreService xs;
    private final String root;
    private final long callBoundMillis;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);
    private final LongAdder transactionRuns = new LongAdder();
    private final AtomicLongArray completed;
    private final AtomicLongArray busySince;
    private final AtomicLong unplannedStarted = new AtomicLong();
    private final AtomicLong unplannedEnded = new AtomicLong();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    /**
     * Starts {@code threadCount} threads ({@code it-load-N}) under {@code root}, which is emptied first.
     *
     * @param callBoundMillis how long an asynchronous read's future may take before it counts as hung
     */
    public CheckedLoad(XenstoreService xs, String root, int threadCount, long callBoundMillis) {
        this.xs = xs;
        this.root = root;
        this.callBoundMillis = callBoundMillis;
        this.completed = new AtomicLongArray(threadCount);
        this.busySince = new AtomicLongArray(threadCount);
        for (Outcome o : Outcome.values()) {
            outcomes.put(o, new LongAdder());
        }
        xs.mkdir(root);
        xs.rm(root);
        for (int t = 0; t < threadCount; t++) {
            int thread = t;
            xs.mkdir(root + "/t" + t);
            Thread th = new Thread(() -> run(thread), "it-load-" + t);
            th.setDaemon(true);
            threads.add(th);
        }
        threads.forEach(Thread::start);
    }

    /** An unplanned window begins: a transport bundle is about to go. */
    public void unplannedBegins() {
        unplannedStarted.incrementAndGet();
    }

    /** The unplanned window ended: the connection is back and the load went on. */
    public void unplannedEnds() {
        unplannedEnded.incrementAndGet();
    }

    /** Calls completed by each thread so far. */
    public long[] completed() {
        long[] c = new long[completed.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = completed.get(i);
        }
        return c;
    }

    /** The longest time any thread has been inside its current call, in ms (0 if none is). */
    public long busiestMillis() {
        long now = System.nanoTime();
        long worst = 0;
        for (int i = 0; i < busySince.length(); i++) {
            long since = busySince.get(i);
            if (since != 0) {
                worst = Math.max(worst, TimeUnit.NANOSECONDS.toMillis(now - since));
            }
        }
        return worst;
    }

    public long count(Outcome o) {
        return outcomes.get(o).sum();
    }

    public long total() {
        return outcomes.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long transactionRuns() {
        return transactionRuns.sum();
    }

    public List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /**
     * Stops the threads and waits for each at most {@code boundMillis}.
     *
     * @return the threads still running then (hung calls)
     */
    public List<String> stop(long boundMillis) throws InterruptedException {
        stopping.set(true);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(boundMillis);
        List<String> hung = new ArrayList<>();
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                hung.add(t.getName());
            }
        }
        return hung;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(total() + " calls:");
        outcomes.forEach((o, n) -> b.append(' ').append(o.name().toLowerCase()).append('=').append(n.sum()));
        return b.append("; transaction work ran ").append(transactionRuns.sum()).append(" times for ")
                .append(count(Outcome.TRANSACTION)).append(" commits").toString();
    }

    private void run(int thread) {
        Random random = new Random(thread);
        String base = root + "/t" + thread;
        Map<String, String> known = new HashMap<>();
        Map<String, Set<String>> uncertain = new HashMap<>();
        long committed = 0;
        long uncertainCommits = 0; // commits since the last known one whose outcome is unknown: each applied or not
        long seq = 0;
        while (!stopping.get()) {
            seq++;
            String key = "k" + random.nextInt(KEYS);
            String path = base + "/" + key;
            int op = random.nextInt(100);
            long endedBefore = unplannedEnded.get();
            busySince.set(thread, System.nanoTime());
            String written = null;
            boolean inTransaction = false;
            try {
                if (op < 30) {
                    written = thread + ":" + seq;
                    xs.write(path, written);
                    known.put(key, written);
                    uncertain.remove(key);
                    outcomes.get(Outcome.WRITE).increment();
                } else if (op < 60) {
                    check(path, key, readOrNull(path), known, uncertain, Outcome.READ);
                } else if (op < 70) {
                    check(path, key, asyncReadOrNull(path), known, uncertain, Outcome.ASYNC_READ);
                } else {
                    String value = thread + ":tx:" + seq;
                    written = value;
                    inTransaction = true;
                    long before = xs.transaction(tx -> {
                        transactionRuns.increment();
                        String c;
                        try {
                            c = tx.read(base + "/count");
                        } catch (NoSuchNodeException e) {
                            c = "0";
                        }
                        tx.write(path, value);
                        tx.write(base + "/count", Long.toString(Long.parseLong(c) + 1));
                        return Long.parseLong(c);
                    });
                    if (before < committed || before > committed + uncertainCommits) {
                        fail(Outcome.WRONG_RESULT, base + "/count: the committed transaction read " + before
                                + " but this thread had committed " + committed + " transactions (a commit "
                                + (before > committed ? "applied twice" : "lost") + ")");
                    } else {
                        outcomes.get(Outcome.TRANSACTION).increment();
                    }
                    committed = before + 1;
                    uncertainCommits = 0;
                    known.put(key, value);
                    uncertain.remove(key);
                }
            } catch (OutcomeUnknownException e) {
                if (unplannedStarted.get() > endedBefore && written != null) {
                    outcomes.get(inTransaction ? Outcome.TRANSACTION_OUTCOME_UNKNOWN : Outcome.WRITE_OUTCOME_UNKNOWN)
                            .increment();
                } else {
                    fail(Outcome.OUTCOME_UNKNOWN_UNEXPECTED, "outside any unplanned window: " + e);
                }
                if (written != null) {
                    uncertain.computeIfAbsent(key, k -> new HashSet<>()).add(written);
                }
                if (inTransaction) {
                    uncertainCommits++;
                }
            } catch (XenstoreTimeoutException e) {
                fail(Outcome.TIMEOUT, e.toString());
            } catch (RuntimeException | AssertionError e) {
                fail(Outcome.OTHER_ERROR, e.toString());
            } finally {
                busySince.set(thread, 0);
                completed.incrementAndGet(thread);
            }
        }
    }

    /** Checks a read against the model: the known value, or one of the writes whose outcome is unknown. */
    private void check(String path, String key, String got, Map<String, String> known,
            Map<String, Set<String>> uncertain, Outcome kind) {
        String expected = known.get(key);
        Set<String> maybe = uncertain.getOrDefault(key, Set.of());
        if (java.util.Objects.equals(expected, got) || maybe.contains(got)) {
            known.put(key, got);
            uncertain.remove(key);
            outcomes.get(kind).increment();
        } else {
            fail(Outcome.WRONG_RESULT, kind + " " + path + " = " + got + ", expected " + expected
                    + (maybe.isEmpty() ? "" : " or one of " + maybe));
            known.put(key, got);
            uncertain.remove(key);
        }
    }

    private String readOrNull(String path) {
        try {
            return xs.read(path);
        } catch (NoSuchNodeException e) {
            return null;
        }
    }

    private String asyncReadOrNull(String path) {
        try {
            return xs.async().read(path).get(callBoundMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NoSuchNodeException) {
                return null;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future of READ " + path + " did not complete within " + callBoundMillis
                    + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void fail(Outcome kind, String what) {
        outcomes.get(kind).increment();
        synchronized (failures) {
            if (failures.size() < MAX_FAILURES_KEPT) {
                failures.add(Thread.currentThread().getName() + ": " + kind + ": " + what);
            }
        }
    }
}
