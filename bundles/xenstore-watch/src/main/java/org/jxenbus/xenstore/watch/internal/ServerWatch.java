package org.jxenbus.xenstore.watch.internal;

import java.util.ArrayList;
import java.util.List;

import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.WatchEvent;
import org.jxenbus.xenstore.api.XenstoreInterruptedException;
import org.jxenbus.xenstore.api.XenstoreService;

/**
 * The one server watch of a path, shared by every listener of it. The first listener joins before WATCH is
 * sent, so the server's initial fire reaches it; a listener joining after that initial fire gets a local
 * one. The raw watch's events arrive on the connection's I/O thread and are only queued from there.
 */
final class ServerWatch {

    private final String path;
    private final Counters counters;
    private final List<ListenerQueue> listeners = new ArrayList<>();
    private RawWatch raw;
    private boolean initialSeen;
    private boolean gone;
    private boolean settingUp;

    ServerWatch(String path, Counters counters) {
        this.path = path;
        this.counters = counters;
    }

    /**
     * Adds a listener; sets the server watch if this is the first. Blocks while the server acknowledges,
     * without holding this object's lock: the server's initial fire may arrive before the acknowledgement (the
     * Linux xenbus device delivers it first), and {@link #fired} must be able to take the lock on the I/O
     * thread meanwhile. Other joiners wait until the first one's WATCH is answered.
     *
     * @return false if this server watch was already removed (the caller makes a new one)
     * @throws XenstoreInterruptedException if interrupted while waiting for another joiner's WATCH
     */
    boolean join(ListenerQueue q, XenstoreService store) {
        synchronized (this) {
            while (settingUp) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new XenstoreInterruptedException("interrupted while the watch of " + path + " was being set", e);
                }
            }
            if (gone) {
                return false;
            }
            boolean first = listeners.isEmpty();
            listeners.add(q);
            if (!first) {
                if (initialSeen) {
                    q.offer(path);
                }
                return true;
            }
            settingUp = true;
        }
        RawWatch set = null;
        try {
            set = store.watch(path, this::fired);
        } finally {
            synchronized (this) {
                settingUp = false;
                if (set == null) {
                    listeners.remove(q);
                    gone = true;
                } else {
                    raw = set;
                }
                notifyAll();
            }
        }
        return true;
    }

    /** Removes a listener; the last one's leaving removes the server watch (returned to close outside locks). */
    synchronized RawWatch leave(ListenerQueue q) {
        if (!listeners.remove(q) || !listeners.isEmpty()) {
            return null;
        }
        gone = true;
        return raw;
    }

    private void fired(WatchEvent event) {
        counters.received.increment();
        List<ListenerQueue> targets;
        synchronized (this) {
            if (!initialSeen && event.path().equals(path)) {
                initialSeen = true;
            }
            targets = List.copyOf(listeners);
        }
        for (ListenerQueue q : targets) {
            q.offer(event.path());
        }
    }

    synchronized int listenerCount() {
        return listeners.size();
    }

    synchronized List<ListenerQueue> listeners() {
        return new ArrayList<>(listeners);
    }
}
