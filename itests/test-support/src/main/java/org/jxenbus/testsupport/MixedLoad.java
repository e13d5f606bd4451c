package org.jxenbus.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.XenstoreService;

/**
 * Many threads sharing one connection, each in its own subtree with a model of what it wrote: every reply
 * is checked against the model, so a reply routed to the wrong caller fails the run.
 */
public final class MixedLoad {

    private MixedLoad() {
    }

    /** Runs {@code threads} × {@code requests} and returns how many requests were checked. */
    public static long run(XenstoreService xs, String root, int threads, int requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong checked = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    checked.addAndGet(oneThread(xs, root + "/t" + thread, thread, requests));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return checked.get();
    }

    private static long oneThread(XenstoreService xs, String base, int thread, int requests) throws Exception {
        Random random = new Random(thread);
        Map<String, String> model = new HashMap<>();
        long done = 0;
        xs.mkdir(base);
        done++;
        while (done < requests) {
            int op = random.nextInt(100);
            String key = "k" + random.nextInt(40);
            String path = base + "/" + key;
            if (op < 35) {
                String value = thread + ":" + done + ":" + "v".repeat(random.nextInt(64));
                xs.write(path, value);
                model.put(key, value);
                done++;
            } else if (op < 70) {
                String expected = model.get(key);
                if (expected == null) {
                    try {
                        xs.read(path);
                        throw new AssertionError("read " + path + " should be ENOENT");
                    } catch (NoSuchNodeException e) {
                        assertEquals("ENOENT", e.errorName());
                    }
                } else {
                    assertEquals(expected, xs.read(path), path);
                }
                done++;
            } else if (op < 80) {
                assertEquals(model.containsKey(key), xs.exists(path), path);
                done++;
            } else if (op < 86) {
                assertEquals(new TreeSet<>(model.keySet()), new TreeSet<>(xs.directory(base)), base);
                done++;
            } else if (op < 92) {
                xs.rm(path);
                model.remove(key);
                done++;
            } else {
                List<String> keys = new ArrayList<>(model.keySet());
                int batch = Math.min(8, requests - (int) done);
                List<CompletableFuture<String>> reads = new ArrayList<>();
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < batch && !keys.isEmpty(); i++) {
                    String k = keys.get(random.nextInt(keys.size()));
                    expected.add(model.get(k));
                    reads.add(xs.async().read(base + "/" + k));
                }
                for (int i = 0; i < reads.size(); i++) {
                    assertEquals(expected.get(i), reads.get(i).get(60, TimeUnit.SECONDS));
                }
                done += Math.max(1, reads.size());
                if (reads.isEmpty()) {
                    assertFalse(xs.exists(base + "/none"));
                }
            }
        }
        assertTrue(done >= requests);
        return done;
    }
}
