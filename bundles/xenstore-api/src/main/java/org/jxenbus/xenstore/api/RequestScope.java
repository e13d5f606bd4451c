package org.jxenbus.xenstore.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * Control over blocking calls made through {@link XenstoreService#within(RequestScope)}: a timeout other
 * than the connection's, and cancellation from another thread.
 *
 * <p>{@link #cancel()} ends every call of the scope that is waiting now, and fails every later one at once:
 * a request not yet written is dropped; one already written keeps its request id until its late reply,
 * which is discarded (a late transaction start is answered with an abort, a late watch with an unwatch).
 * The cancelled call throws {@link XenstoreCancelledException}, or {@link OutcomeUnknownException} when its
 * request changes the store and may have been applied.
 *
 * <p>Thread-safe.
 */
public final class RequestScope {

    private final Duration timeout;
    private final Set<Future<?>> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    private RequestScope(Duration timeout) {
        this.timeout = timeout;
    }

    /** A scope whose calls use the connection's request timeout. */
    public static RequestScope create() {
        return new RequestScope(null);
    }

    /**
     * A scope whose requests time out after {@code timeout} instead of the connection's timeout.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public static RequestScope withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return new RequestScope(timeout);
    }

    /** The scope's own timeout, if it has one. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** Cancels every waiting and every later call of this scope. Idempotent. */
    public void cancel() {
        cancelled = true;
        for (Future<?> f : waiting) {
            f.cancel(false);
        }
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * For implementations: registers a request's future while a call waits for it; it is cancelled if the
     * scope is or becomes cancelled.
     */
    public void enter(Future<?> request) {
        waiting.add(request);
        if (cancelled) {
            request.cancel(false);
        }
    }

    /** For implementations: the call stopped waiting for {@code request}. */
    public void leave(Future<?> request) {
        waiting.remove(request);
    }
}
