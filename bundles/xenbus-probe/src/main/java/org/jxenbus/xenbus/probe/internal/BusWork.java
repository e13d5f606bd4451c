package org.jxenbus.xenbus.probe.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;

/**
 * What a bus's thread has to do, filled from watch dispatch threads and driver registrations and drained by
 * that one thread. Node events coalesce per path and other-end events per device, as the watch service's queues
 * do, so the backlog is bounded by the store's size, never by the event rate. Thread-safe.
 */
final class BusWork {

    /** Everything pending at one moment, in the order the bus handles it. */
    record Batch(List<Runnable> tasks, boolean rescan, List<String> paths, List<String> otherends) {
    }

    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final Set<String> paths = new LinkedHashSet<>();
    private final Set<String> otherends = new LinkedHashSet<>();
    private boolean rescan;
    private boolean closed;
    private boolean busy; // a batch taken and not yet done

    /** A node at or under the bus root changed. */
    synchronized void path(String path) {
        paths.add(path);
        notifyAll();
    }

    /** The other end's state of device {@code nodename} may have changed. */
    synchronized void otherend(String nodename) {
        otherends.add(nodename);
        notifyAll();
    }

    /** Enumerate the whole bus again (the root's initial watch event, an overflow). */
    synchronized void rescan() {
        rescan = true;
        notifyAll();
    }

    /** Runs {@code task} on the bus thread. */
    synchronized void task(Runnable task) {
        tasks.add(task);
        notifyAll();
    }

    /**
     * Takes everything pending, waiting for something; calling it again says the previous batch is done.
     *
     * @return null once closed
     */
    synchronized Batch take() throws InterruptedException {
        busy = false;
        while (!closed && tasks.isEmpty() && paths.isEmpty() && otherends.isEmpty() && !rescan) {
            wait();
        }
        if (closed) {
            return null;
        }
        Batch b = new Batch(new ArrayList<>(tasks), rescan, new ArrayList<>(paths), new ArrayList<>(otherends));
        tasks.clear();
        paths.clear();
        otherends.clear();
        rescan = false;
        busy = true;
        return b;
    }

    /** Whether nothing is pending nor being done (for tests waiting until the bus is quiet). */
    synchronized boolean idle() {
        return !busy && tasks.isEmpty() && paths.isEmpty() && otherends.isEmpty() && !rescan;
    }

    /** Makes {@link #take} return null. */
    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
