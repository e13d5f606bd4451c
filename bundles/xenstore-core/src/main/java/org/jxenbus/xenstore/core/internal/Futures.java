package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.jxenbus.xenstore.api.XenstoreException;

/** Unwrapping the failures of request futures. */
final class Futures {

    private Futures() {
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
}
