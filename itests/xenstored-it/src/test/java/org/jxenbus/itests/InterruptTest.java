package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.TestSize;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.OutcomeUnknownException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.api.XenstoreInterruptedException;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Callers interrupted while blocked return promptly with their interrupt flag kept; the connection is
 * unaffected and every request that was not interrupted gets its own, correct reply.
 */
@ExtendWith(XenstoredExtension.class)
class InterruptTest {

    @Test
    void anInterruptedCallerReturnsPromptlyWithItsFlagSet(FakeXenHost host) throws Exception {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            xs.write("/int/a", "1");
            host.pause();
            AtomicLong returnedAfterNanos = new AtomicLong();
            AtomicBoolean flagKept = new AtomicBoolean();
            List<Throwable> thrown = new ArrayList<>();
            Thread caller;
            long interruptedAt;
            try {
                caller = new Thread(() -> {
                    try {
                        xs.read("/int/a");
                    } catch (XenstoreException e) {
                        thrown.add(e);
                        flagKept.set(Thread.currentThread().isInterrupted());
                    }
                });
                caller.start();
                TimeoutCompensationTest.awaitStat(() -> xs.statistics().inFlight() >= 1, xs);
                interruptedAt = System.nanoTime();
                caller.interrupt();
                caller.join(1000);
                returnedAfterNanos.set(System.nanoTime() - interruptedAt);
            } finally {
                host.resume();
            }
            assertTrue(!caller.isAlive());
            assertTrue(returnedAfterNanos.get() < TimeUnit.MILLISECONDS.toNanos(200), "returned promptly: "
                    + TimeUnit.NANOSECONDS.toMillis(returnedAfterNanos.get()) + " ms");
            assertEquals(1, thrown.size());
            assertTrue(thrown.get(0) instanceof XenstoreInterruptedException, thrown.toString());
            assertTrue(flagKept.get(), "interrupt flag kept");
            assertEquals("1", xs.read("/int/a"), "the connection is unaffected");
        }
    }

    @Test
    void sixteenThreadsRandomlyInterruptedNeverHangOrDesync(FakeXenHost host) throws Exception {
        int threads = 16;
        int total = TestSize.pick(20_000, 100_000);
        int perThread = total / threads;
        AtomicLong interruptedCalls = new AtomicLong();
        AtomicLong correct = new AtomicLong();
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Thread> workers = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean done = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    workers.add(Thread.currentThread());
                    started.countDown();
                    work(xs, thread, perThread, interruptedCalls, correct);
                    Thread.interrupted();
                    return null;
                }));
            }
            started.await();
            Thread chaos = new Thread(() -> {
                Random r = new Random(7);
                while (!done.get()) {
                    workers.get(r.nextInt(workers.size())).interrupt();
                    try {
                        Thread.sleep(0, 200_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "interrupter");
            chaos.start();
            try {
                for (Future<?> f : futures) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                done.set(true);
                chaos.join();
                pool.shutdownNow();
            }
            assertTrue(interruptedCalls.get() > 100, "calls really were interrupted: " + interruptedCalls);
            assertEquals(0, xs.statistics().unknownReplies(), "no reply ever unmatched");
            xs.write("/int/after", "ok");
            assertEquals("ok", xs.read("/int/after"), "the connection is in sync");
            System.out.printf("interrupt test: %d requests, %d interrupted calls, %d checked correct%n",
                    (long) perThread * threads, interruptedCalls.get(), correct.get());
        }
    }

    /**
     * One thread's requests in its own subtree. An interrupted write leaves its key uncertain (outcome unknown)
     * until a later read settles it; every other reply must match the model exactly.
     */
    private static void work(XenstoreConnection xs, int thread, int requests, AtomicLong interrupted,
            AtomicLong correct) {
        Random random = new Random(thread);
        Map<String, String> model = new HashMap<>();
        Map<String, String> uncertain = new HashMap<>();
        String base = "/int/t" + thread;
        for (int i = 0; i < requests; i++) {
            String key = "k" + random.nextInt(16);
            String path = base + "/" + key;
            try {
                if (random.nextBoolean()) {
                    String value = thread + "-" + i;
                    try {
                        xs.write(path, value);
                        model.put(key, value);
                        uncertain.remove(key);
                    } catch (OutcomeUnknownException e) {
                        uncertain.put(key, value);
                        throw e;
                    }
                } else {
                    String got;
                    try {
                        got = xs.read(path);
                    } catch (NoSuchNodeException e) {
                        got = null;
                    }
                    String expected = model.get(key);
                    String maybe = uncertain.remove(key);
                    if (maybe != null && maybe.equals(got)) {
                        model.put(key, got);
                    } else {
                        assertEquals(expected, got, path);
                    }
                }
                correct.incrementAndGet();
            } catch (XenstoreInterruptedException | OutcomeUnknownException e) {
                assertTrue(Thread.interrupted(), "interrupt flag kept by " + e);
                interrupted.incrementAndGet();
            }
        }
    }
}
