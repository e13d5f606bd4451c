package org.jxenbus.transport.ring.fake;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** An {@link FakeEventChannels#await} running on its own thread, started and given time to reach poll. */
final class BackgroundAwait {

    private final CompletableFuture<Integer> result = new CompletableFuture<>();
    private volatile long tookNanos;

    /** Starts the await and returns once it has had 200 ms to enter poll (it needs microseconds). */
    static BackgroundAwait start(FakeEventChannels channels, long timeoutNanos) throws InterruptedException {
        BackgroundAwait a = new BackgroundAwait();
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            started.countDown();
            long start = System.nanoTime();
            try {
                int n = channels.await(timeoutNanos, p -> { });
                a.tookNanos = System.nanoTime() - start;
                a.result.complete(n);
            } catch (Throwable e) {
                a.result.completeExceptionally(e);
            }
        }, "test-await");
        t.setDaemon(true);
        t.start();
        started.await();
        Thread.sleep(200);
        return a;
    }

    /** The await's result, waiting at most {@code millis} for it. */
    int result(long millis) throws Exception {
        return result.get(millis, TimeUnit.MILLISECONDS);
    }

    /** How long the await took. */
    long tookNanos() {
        return tookNanos;
    }
}
