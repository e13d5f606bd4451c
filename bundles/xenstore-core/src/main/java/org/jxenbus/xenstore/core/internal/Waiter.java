package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jxenbus.xenstore.api.OutcomeUnknownException;
import org.jxenbus.xenstore.api.RequestScope;
import org.jxenbus.xenstore.api.XenstoreCancelledException;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.api.XenstoreInterruptedException;
import org.jxenbus.xenstore.api.XenstoreTimeoutException;

/**
 * Blocks a caller for a verb's future, and turns the ways a caller stops waiting into the documented
 * errors: an interrupt returns at once with the flag kept; a {@link RequestScope} cancellation ends the
 * wait; either abandons the request, and a written request that changes the store then reports
 * {@link OutcomeUnknownException}.
 */
final class Waiter {

    /** Extra wait beyond the request timeout; the I/O thread's own deadline check normally fires first. */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final IoThread io;
    private final RequestScope scope;

    Waiter(IoThread io, RequestScope scope) {
        this.io = io;
        this.scope = scope;
    }

    /** A waiter for the same connection under another scope. */
    Waiter within(RequestScope other) {
        return new Waiter(io, other);
    }

    <T> T await(RequestFuture<T> f, long timeoutNanos, String what) {
        if (io.isCurrent() && !f.isDone()) {
            f.cancel(false);
            throw new IllegalStateException(what + ": a blocking xenstore call on the connection's I/O thread "
                    + "(from a raw watch listener or a future callback) would wait forever; use async()");
        }
        if (scope != null) {
            scope.enter(f);
        }
        // Each way of giving up first abandons the request (f.cancel), so that it is then either written or never
        // will be, and asking whether it was written is reliable; if the reply won the race, the caller gets it.
        try {
            return f.get(timeoutNanos + GRACE_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            if (!f.isCancelled()) {
                return ended(f, what); // flag kept: a transaction or watch it opened is not lost with the result
            }
            if (f.outcomeUnknownIfAbandoned()) {
                throw new OutcomeUnknownException(what + ": interrupted", OutcomeUnknownException.Reason.INTERRUPTED);
            }
            throw new XenstoreInterruptedException(what + ": interrupted while waiting for the reply", e);
        } catch (CancellationException e) {
            f.cancel(false); // the canceller may not have abandoned the request yet
            if (f.outcomeUnknownIfAbandoned()) {
                throw new OutcomeUnknownException(what + ": cancelled", OutcomeUnknownException.Reason.CANCELLED);
            }
            throw new XenstoreCancelledException(what + ": cancelled");
        } catch (TimeoutException e) {
            f.cancel(false);
            if (!f.isCancelled()) {
                return ended(f, what);
            }
            if (f.outcomeUnknownIfAbandoned()) {
                throw new OutcomeUnknownException(what + ": no reply", OutcomeUnknownException.Reason.TIMEOUT);
            }
            throw new XenstoreTimeoutException(what + ": no reply within the request timeout", null, e);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause(), what);
        } finally {
            if (scope != null) {
                scope.leave(f);
            }
        }
    }

    /** See {@link BlockingOperations#awaitDetached}. */
    void awaitDetached(RequestFuture<?> f, long timeoutNanos, String what) {
        if (io.isCurrent()) {
            return;
        }
        try {
            f.get(timeoutNanos + GRACE_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            throw new XenstoreTimeoutException(what + ": no reply within the request timeout", null, e);
        } catch (CancellationException e) {
            throw new XenstoreCancelledException(what + ": cancelled");
        } catch (ExecutionException e) {
            throw rethrown(e.getCause(), what);
        }
    }

    /** The result of {@code f}, which ended (not by cancellation) as its waiter stopped waiting. */
    private static <T> T ended(RequestFuture<T> f, String what) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw rethrown(e.getCause(), what);
        }
    }

    /** A request's failure as the blocking verb throws it, marked with where the caller waited. */
    private static RuntimeException rethrown(Throwable failure, String what) {
        RuntimeException r = Futures.rethrowable(failure);
        if (r instanceof XenstoreException) {
            r.addSuppressed(new CallerStack(what));
        }
        return r;
    }

    /** Marks where a blocking caller waited, since the failure itself was made on the I/O thread. */
    static final class CallerStack extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallerStack(String what) {
            super("waited for: " + what);
        }
    }
}
