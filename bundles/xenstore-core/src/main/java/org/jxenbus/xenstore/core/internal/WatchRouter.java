package org.jxenbus.xenstore.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jxenbus.xenstore.api.RawWatchListener;
import org.jxenbus.xenstore.api.WatchEvent;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessage;

/**
 * Routes watch events to raw listeners by token. A listener is registered before its WATCH is sent, because
 * the server sends the initial event right after the acknowledgement. Tokens are generated here and unique
 * per connection, so no two users can collide on (path, token).
 */
final class WatchRouter {

    private static final Logger LOG = System.getLogger(WatchRouter.class.getName());
    private static final AtomicLong CONNECTIONS = new AtomicLong();

    private final String tokenPrefix = "jxenbus-" + Long.toHexString(CONNECTIONS.incrementAndGet()) + "-";
    private final AtomicLong tokens = new AtomicLong();
    private final Map<String, Entry> listeners = new ConcurrentHashMap<>();
    private final LongAdder delivered = new LongAdder();
    private final RateLimitedLog unknown = new RateLimitedLog(LOG, Level.DEBUG, TimeUnit.SECONDS.toNanos(10));
    private final RateLimitedLog malformed = new RateLimitedLog(LOG, Level.WARNING, TimeUnit.SECONDS.toNanos(10));
    private final RateLimitedLog throwing = new RateLimitedLog(LOG, Level.WARNING, TimeUnit.SECONDS.toNanos(10));
    private final Multiplexer owner;

    WatchRouter(Multiplexer owner) {
        this.owner = owner;
    }

    /** One registered watch: its path and token as sent, its listener, and whether the server acked it. */
    static final class Entry {
        private final String path;
        private final String token;
        private final RawWatchListener listener;
        private volatile boolean established;

        Entry(String path, String token, RawWatchListener listener) {
            this.path = path;
            this.token = token;
            this.listener = listener;
        }

        String path() {
            return path;
        }

        String token() {
            return token;
        }
    }

    /** Registers a listener for {@code path} under a fresh token and returns the token. */
    String register(String path, RawWatchListener listener) {
        String token = tokenPrefix + Long.toHexString(tokens.incrementAndGet());
        listeners.put(token, new Entry(path, token, listener));
        owner.io().requestPending();
        return token;
    }

    /** The server acknowledged the watch: it is restored on every new session from now on. */
    void established(String token) {
        Entry e = listeners.get(token);
        if (e != null) {
            e.established = true;
        }
    }

    /** The watches the server acknowledged, to set again on a new session. */
    java.util.List<Entry> establishedWatches() {
        java.util.List<Entry> out = new java.util.ArrayList<>();
        for (Entry e : listeners.values()) {
            if (e.established) {
                out.add(e);
            }
        }
        return out;
    }

    void unregister(String token) {
        listeners.remove(token);
    }

    /** Called on the I/O thread for each WATCH_EVENT. Never throws. */
    void deliver(XsMessage m) {
        List<String> parts;
        try {
            parts = Payloads.watchEvent(m.payload());
        } catch (MalformedMessageException e) {
            malformed.log("malformed watch event discarded: " + e.getMessage(), null);
            return;
        }
        Entry entry = listeners.get(parts.get(1));
        RawWatchListener l = entry == null ? null : entry.listener;
        if (l == null) {
            unknown.log("watch event for unknown token " + parts.get(1) + " (path " + parts.get(0)
                    + ") discarded; events may follow an UNWATCH", null);
            return;
        }
        delivered.increment();
        try {
            l.watchFired(new WatchEvent(parts.get(0), parts.get(1)));
        } catch (RuntimeException | Error e) {
            throwing.log("watch listener for token " + parts.get(1) + " threw; the watch stays", e);
        }
    }

    boolean isEmpty() {
        return listeners.isEmpty();
    }

    void clear() {
        listeners.clear();
    }

    long delivered() {
        return delivered.sum();
    }

    long unknown() {
        return unknown.occurrences();
    }

    long logLinesWritten() {
        return unknown.linesWritten() + malformed.linesWritten() + throwing.linesWritten();
    }
}
