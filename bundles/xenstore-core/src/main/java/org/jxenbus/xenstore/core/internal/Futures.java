package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.api.XenstoreInterruptedException;
import org.jxenbus.xenstore.api.XenstoreTimeoutException;

/** Waiting for request futures in the blocking verbs, and unwrapping their failures. */
final class Futures {

    /** Extra wait beyond the request timeout, so the I/O thread's own deadline check normally fires first. */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private Futures() {
    }

    /**
     * Blocks for {@code f}. On interrupt the future is cancelled (abandoning its request), the interrupt
     * flag is set again and {@link XenstoreInterruptedException} is thrown. A failure is rethrown as the
     * typed exception, with the caller's stack added as a suppressed exception.
     */
    static <T> T await(CompletableFuture<T> f, long timeoutNanos, String what) {
        try {
            return f.get(timeoutNanos + GRACE_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw new XenstoreInterruptedException(what + ": interrupted while waiting for the reply", e);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new XenstoreTimeoutException(what + ": no reply within the request timeout", null, e);
        } catch (CancellationException e) {
            throw new XenstoreInterruptedException(what + ": the request was cancelled", null);
        } catch (ExecutionException e) {
            RuntimeException r = rethrowable(e.getCause());
            r.addSuppressed(new CallerStack(what));
            throw r;
        }
    }

    /** The cause inside {@link CompletionException} / {@link ExecutionException} wrappers. */
    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** {@code t} as something a verb may throw: itself if unchecked, else wrapped. */
    static RuntimeException rethrowable(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof RuntimeException r) {
            return r;
        }
        if (c instanceof Error e) {
            throw e;
        }
        return new XenstoreException("unexpected failure: " + c, null, c);
    }

    /** Marks where a blocking caller waited, since the failure itself was made on the I/O thread. */
    static final class CallerStack extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CallerStack(String what) {
            super("waited for: " + what);
        }
    }
}
