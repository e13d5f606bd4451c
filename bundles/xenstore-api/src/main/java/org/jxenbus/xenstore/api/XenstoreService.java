package org.jxenbus.xenstore.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A connection to a xenstore, shared by every thread of its user: requests from many threads are
 * multiplexed on one connection and matched to their replies by request id.
 *
 * <p>The plain verbs of {@link XenstoreOperations} each run outside any transaction. For several
 * operations that must see and change the store atomically use {@link #transaction(TransactionWork)},
 * which reruns the work when the server reports a conflict, or {@link #beginTransaction()} for explicit
 * control.
 *
 * <p><b>Threads:</b> thread-safe. Blocking methods block only the caller; see {@link XenstoreOperations}
 * for timeouts and interrupts.
 */
@ProviderType
public interface XenstoreService extends XenstoreOperations {

    /** The same connection's verbs in {@link java.util.concurrent.CompletableFuture} form. */
    AsyncXenstoreOperations async();

    /**
     * The blocking verbs under {@code scope}: its timeout instead of the connection's, and cancellation by
     * {@link RequestScope#cancel()} from another thread. The view is as thread-safe as this service.
     */
    XenstoreOperations within(RequestScope scope);

    /**
     * Starts a transaction. At most a bounded number (default 10, xenstored's per-domain quota) are open
     * per connection; further calls wait for a slot, bounded by the request timeout.
     *
     * <p>The caller must {@link Transaction#commit()} or {@link Transaction#abort()} it;
     * {@link Transaction#close()} aborts one that is still open, so try-with-resources is the safe form.
     *
     * @throws XenstoreTimeoutException if no slot frees within the request timeout
     */
    Transaction beginTransaction();

    /**
     * Runs {@code work} in a transaction and commits it. When the commit reports a conflict (EAGAIN) the
     * whole work is run again in a new transaction, after a randomized exponential backoff, up to the
     * configured number of attempts. If {@code work} throws, the transaction is aborted and the exception
     * propagates unchanged.
     *
     * <p>A call made from inside {@code work} on the same thread joins the outer transaction instead of
     * opening another; its work then runs once and the outer call commits.
     *
     * @return what {@code work} returned in the attempt that committed
     * @throws ConflictException when every attempt conflicted
     */
    <T> T transaction(TransactionWork<T> work);

    /**
     * Sets a server watch on {@code path} (and its subtree). The server fires it once at once (the initial
     * event, with the watched path), then on every change. Events reach {@code listener} on the
     * connection's reader thread, in the server's order; see {@link RawWatchListener} for what a listener
     * may do there. This is the minimal primitive: each call spends one unit of the server's watch quota.
     *
     * @return a handle whose {@link RawWatch#close()} removes the watch
     * @throws QuotaExceededException if the server's watch quota is exhausted
     */
    RawWatch watch(String path, RawWatchListener listener);
}
