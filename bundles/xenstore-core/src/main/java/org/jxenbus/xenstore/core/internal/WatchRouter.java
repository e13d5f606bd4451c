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
    private final Map<String, RawWatchListener> listeners = new ConcurrentHashMap<>();
    private final LongAdder delivered = new LongAdder();
    private final RateLimitedLog unknown = new RateLimitedLog(LOG, Level.DEBUG, TimeUnit.SECONDS.toNanos(10));
    private final RateLimitedLog malformed = new RateLimitedLog(LOG, Level.WARNING, TimeUnit.SECONDS.toNanos(10));
    private final RateLimitedLog throwing = new RateLimitedLog(LOG, Level.WARNING, TimeUnit.SECONDS.toNanos(10));
    private final Multiplexer owner;

    WatchRouter(Multiplexer owner) {
        this.owner = owner;
    }

    /** Registers a listener under a fresh token and returns the token. */
    String register(RawWatchListener listener) {
        String token = tokenPrefix + Long.toHexString(tokens.incrementAndGet());
        listeners.put(token, listener);
        owner.io().requestPending();
        return token;
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
        RawWatchListener l = listeners.get(parts.get(1));
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
