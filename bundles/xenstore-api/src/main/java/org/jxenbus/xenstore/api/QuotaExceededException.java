package org.jxenbus.xenstore.api;

/** A server quota is exhausted: {@code ENOSPC}, {@code EQUOTA} (oxenstored), or {@code E2BIG} answering a watch (the watch quota before Xen 4.22). */
public class QuotaExceededException extends XenstoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the operation and path
     * @param errorName the server's error name, or {@code null} when found on the client side
     */
    public QuotaExceededException(String message, String errorName) {
        super(message, errorName);
    }

    /**
     * @param message what failed
     * @param errorName the server's error name, or {@code null}
     * @param cause the underlying failure
     */
    public QuotaExceededException(String message, String errorName, Throwable cause) {
        super(message, errorName, cause);
    }
}
