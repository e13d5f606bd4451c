package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.CompletableFuture;

/**
 * The future a verb returns. Completing it from outside (cancel, {@code orTimeout}, {@code complete})
 * abandons the request it currently waits for, so an abandoned caller never leaves work queued; a verb
 * made of several requests (a large directory) moves it from request to request.
 *
 * @param <T> the verb's result
 */
final class RequestFuture<T> extends CompletableFuture<T> {

    private volatile PendingRequest current;

    /** The request this future now waits for. */
    void follow(PendingRequest request) {
        current = request;
        if (isDone()) {
            request.reply.cancel(false);
        }
    }

    /** The request this future waits, or waited, for last; {@code null} before the first. */
    PendingRequest current() {
        return current;
    }

    /** Whether abandoning this verb now leaves the store in an unknown state. */
    boolean outcomeUnknownIfAbandoned() {
        PendingRequest r = current;
        return r != null && r.outcomeUnknownIfAbandoned();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean changed = super.cancel(mayInterruptIfRunning);
        abandonCurrent();
        return changed;
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        boolean changed = super.completeExceptionally(ex);
        abandonCurrent();
        return changed;
    }

    @Override
    public boolean complete(T value) {
        boolean changed = super.complete(value);
        abandonCurrent();
        return changed;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    /** Cancels the underlying request's future; a no-op once its reply came. */
    private void abandonCurrent() {
        PendingRequest r = current;
        if (r != null) {
            r.reply.cancel(false);
        }
    }
}
