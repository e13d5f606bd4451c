package org.jxenbus.xenbus.probe.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that call drivers, so that no driver ever runs on a watch dispatch thread or the connection's I/O
 * thread: at most {@code threads} of them, named {@code xenbus-<bus>-driver-N}, leaving after 30 s idle. Work is
 * queued per device ({@link SerialCallbacks}), and each device has at most one task here at a time, so the queue is
 * bounded by the number of devices. Owned by its bus, which closes it.
 */
final class CallbackPool implements AutoCloseable {

    private static final Logger LOG = System.getLogger(CallbackPool.class.getName());

    private final ThreadPoolExecutor executor;

    CallbackPool(String bus, int threads) {
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "xenbus-" + bus + "-driver-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    void execute(Runnable r) {
        executor.execute(r);
    }

    /** Lets running callbacks finish (10 s), then interrupts what is left and waits for it (5 s). */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.log(Level.WARNING, "a driver callback did not end when interrupted; its thread is left running");
                }
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
