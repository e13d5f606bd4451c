package org.jxenbus.guest.agent.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.XenstoreException;

/**
 * The one named thread a part of the agent runs its work on, fed by its schedule and by a watch whose listener
 * (on the connection's reader thread) must only hand work over. Thread-safe.
 */
final class AgentWorker {

    private static final Logger LOG = System.getLogger(AgentWorker.class.getName());

    private final String name;
    private final ScheduledExecutorService executor;

    AgentWorker(String name) {
        this.name = name;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} every {@code every}, the first time after one period. */
    void every(Duration every, Runnable task) {
        executor.scheduleWithFixedDelay(task, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Whether {@link #stop} began: from then on a task that fails was most likely interrupted by it (the executor
     * is shut down before its thread is interrupted).
     */
    boolean stopping() {
        return executor.isShutdown();
    }

    /** Queues {@code task}; does nothing once stopped. Never blocks, so watch listeners may call it. */
    void hand(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException stopped) {
            // stopped meanwhile: the work has no one to do it for
        }
    }

    /**
     * Stops taking work, interrupts what runs, removes the watch {@code watch} yields (asked after the interrupt,
     * so a holder of the owner's lock can let go) and waits for the thread to end.
     */
    void stop(Supplier<RawWatch> watch) {
        executor.shutdownNow();
        try {
            RawWatch w = watch.get();
            if (w != null) {
                w.close();
            }
        } catch (XenstoreException e) {
            LOG.log(Level.DEBUG, name + ": the watch could not be removed (the connection goes): " + e);
        } finally {
            try {
                if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.log(Level.WARNING, name + " did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
