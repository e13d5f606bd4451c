package org.jxenbus.xenstore.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives a raw watch's events.
 *
 * <p>Called on the connection's reader thread, one event at a time, in the server's order. It must return
 * quickly and must not block: while it runs no reply reaches any caller of the connection. It must not
 * call the blocking verbs of the same connection (they would wait for a reply only this thread can read);
 * doing so throws {@link IllegalStateException}. The asynchronous verbs are allowed. A listener that
 * throws is logged and keeps its watch.
 */
@ConsumerType
@FunctionalInterface
public interface RawWatchListener {

    /** One event: {@code event.path()} is the changed node (relative if the watch path was). */
    void watchFired(WatchEvent event);
}
