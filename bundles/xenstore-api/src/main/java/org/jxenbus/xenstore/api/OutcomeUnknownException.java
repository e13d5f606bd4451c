package org.jxenbus.xenstore.api;

/**
 * A request that changes the store (write, rm, mkdir, set-permissions, a transaction's start or end,
 * watch, the privileged verbs) was written to the server and then abandoned before its reply: it may or may
 * not have been applied. Read the store to find out. Requests that change nothing get a plain
 * {@link XenstoreTimeoutException}, {@link XenstoreCancelledException} or
 * {@link XenstoreInterruptedException} instead.
 */
public class OutcomeUnknownException extends XenstoreException {
    private static final long serialVersionUID = 1L;

    /** Why the caller stopped waiting. */
    public enum Reason {
        /** The request's timeout passed. */
        TIMEOUT,
        /** The caller cancelled it (future or {@link RequestScope}). */
        CANCELLED,
        /** The waiting thread was interrupted; its interrupt flag is set. */
        INTERRUPTED,
        /** The connection was lost (and replaced) before the reply came. */
        CONNECTION_LOST
    }

    private final Reason reason;

    /**
     * @param message what was abandoned
     * @param reason why
     */
    public OutcomeUnknownException(String message, Reason reason) {
        super(message + " (outcome unknown: " + reason.name().toLowerCase().replace('_', ' ')
                + " after the request was written)",
                null);
        this.reason = reason;
    }

    /** Why the caller stopped waiting. */
    public Reason reason() {
        return reason;
    }
}
