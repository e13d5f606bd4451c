package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.OutcomeUnknownException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreException;

/**
 * Load for the gate tests: threads doing checked reads and writes of their own keys and transactions that
 * increment their own counter, until stopped. A write whose outcome is unknown makes its key uncertain until
 * the next read settles it; a transaction that went stale reruns inside {@code transaction(fn)}. Every call
 * must complete: a hung call fails the run at {@link #stop}.
 */
final class GateLoad implements AutoCloseable {

    private final XenstoreConnection xs;
    private final String root;
    private final boolean storeSurvives;
    private final ExecutorService pool;
    private final List<Future<?>> workers = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    final AtomicLong operations = new AtomicLong();
    final AtomicLong transactionRuns = new AtomicLong();
    final AtomicLong transactionsCommitted = new AtomicLong();
    final AtomicLong outcomesUnknown = new AtomicLong();
    final AtomicLong failuresTolerated = new AtomicLong();

    /**
     * @param storeSurvives false when xenstored is restarted with an empty store: a read may then find
     *        nothing where the model has a value
     */
    GateLoad(XenstoreConnection xs, String root, int threads, boolean storeSurvives) {
        xs.mkdir(root);
        xs.rm(root);
        this.xs = xs;
        this.root = root;
        this.storeSurvives = storeSurvives;
        this.pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(pool.submit(() -> {
                run(thread);
                return null;
            }));
        }
    }

    private void run(int thread) {
        Random random = new Random(thread);
        String base = root + "/t" + thread;
        String known = null;
        java.util.Set<String> uncertain = new java.util.HashSet<>();
        int i = 0;
        while (!stopping.get()) {
            i++;
            try {
                switch (random.nextInt(3)) {
                    case 0: {
                        String value = thread + "-" + i;
                        try {
                            xs.write(base + "/k", value);
                            known = value;
                            uncertain.clear();
                        } catch (OutcomeUnknownException e) {
                            outcomesUnknown.incrementAndGet();
                            uncertain.add(value);
                        }
                        break;
                    }
                    case 1: {
                        String got;
                        try {
                            got = xs.read(base + "/k");
                        } catch (NoSuchNodeException e) {
                            got = null;
                        }
                        if (uncertain.contains(got)) {
                            known = got;
                        } else if (storeSurvives || got != null) {
                            assertEquals(known, got, base + "/k");
                        } else {
                            known = null;
                        }
                        uncertain.clear();
                        break;
                    }
                    default:
                        xs.transaction(tx -> {
                            transactionRuns.incrementAndGet();
                            String c;
                            try {
                                c = tx.read(base + "/count");
                            } catch (NoSuchNodeException e) {
                                c = "0";
                            }
                            tx.write(base + "/count", Integer.toString(Integer.parseInt(c) + 1));
                            return null;
                        });
                        transactionsCommitted.incrementAndGet();
                        break;
                }
                operations.incrementAndGet();
            } catch (XenstoreException e) {
                if (storeSurvives) {
                    throw e;
                }
                failuresTolerated.incrementAndGet();
            }
        }
    }

    /** Stops the threads and rethrows the first failure; fails if a call hung. */
    void stop() throws Exception {
        stopping.set(true);
        for (Future<?> f : workers) {
            f.get(3, TimeUnit.MINUTES);
        }
    }

    @Override
    public void close() {
        stopping.set(true);
        pool.shutdownNow();
    }

    @Override
    public String toString() {
        return operations + " operations, " + transactionsCommitted + " transactions committed in " + transactionRuns
                + " runs, " + outcomesUnknown + " writes with unknown outcome, " + failuresTolerated
                + " failures tolerated";
    }
}
