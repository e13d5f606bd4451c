package org.jxenbus.xenbus.probe.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One device's driver callbacks, run one at a time and in the order queued, on the {@link CallbackPool}: at most
 * one drain task of this device is in the pool at a time. Thread-safe.
 */
final class SerialCallbacks {

    private static final Logger LOG = System.getLogger(SerialCallbacks.class.getName());

    private final CallbackPool pool;
    private final String owner;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialCallbacks(CallbackPool pool, String owner) {
        this.pool = pool;
        this.owner = owner;
    }

    /** Queues {@code callback}; an exception it throws is logged with {@code what}. */
    void run(String what, Runnable callback) {
        queue.add(() -> {
            try {
                callback.run();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, owner + ": " + what + " threw " + e, e);
            }
        });
        schedule();
    }

    private void schedule() {
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException closing) {
                scheduled.set(false);
                queue.clear();
            }
        }
    }

    private void drain() {
        try {
            Runnable r;
            while ((r = queue.poll()) != null) {
                r.run();
            }
        } finally {
            scheduled.set(false);
            schedule(); // queued after the last poll and before the flag was cleared
        }
    }
}
