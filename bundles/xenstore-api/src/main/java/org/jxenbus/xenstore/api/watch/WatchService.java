package org.jxenbus.xenstore.api.watch;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Watches for agents. One server watch is set per (path, depth) whatever the number of listeners, with a
 * token of the library's (never shown); each listener gets the watched path once when it joins (the
 * server's initial fire for the first, a local one for the others) and every change after that.
 *
 * <p><b>Dispatch.</b> Listeners run on a small pool of dispatch threads, never on the connection's I/O
 * thread, one event at a time per listener and in the server's order. Each listener has a bounded queue
 * in which repeated events for the same path coalesce; if it still overflows, the queue is emptied and the
 * listener is told so ({@link WatchListener#overflowed()}) and must re-read what it watches. A listener
 * that blocks delays only itself while fewer listeners than dispatch threads are blocked; beyond that,
 * other listeners' events wait for a free thread (counted in {@link WatchStatistics#dispatchWaits()}, and a
 * rate-limited warning names the listener blocked longest).
 *
 * <p><b>Threads.</b> Thread-safe. {@link #watch} blocks until the server acknowledged the watch (or the
 * request timed out).
 */
@ProviderType
public interface WatchService {

    /** Watches {@code path} and its whole subtree. */
    Watch watch(String path, WatchListener listener);

    /**
     * Watches {@code path} down to {@code depth} levels below it (0: the node only), where the server
     * advertises the watch depth parameter; elsewhere the whole subtree is watched and the listener
     * receives only events within {@code depth}.
     */
    Watch watch(String path, int depth, WatchListener listener);

    /**
     * Evaluates {@code condition} against the store, and again whenever a node it read changes, until it
     * returns non-null or {@code timeout} passes (ocaml-xenstore's {@code wait}).
     *
     * @return the condition's first non-null value
     * @throws org.jxenbus.xenstore.api.XenstoreTimeoutException if the timeout passed first
     */
    <T> T waitFor(Condition<T> condition, Duration timeout);

    /** Counters, for monitoring. */
    WatchStatistics statistics();
}
