package org.jxenbus.xenstore.api;

/** A transaction conflicted with another change ({@code EAGAIN}), or every attempt of {@link XenstoreService#transaction} did. */
public class ConflictException extends XenstoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the operation and path
     * @param errorName the server's error name, or {@code null} when found on the client side
     */
    public ConflictException(String message, String errorName) {
        super(message, errorName);
    }

    /**
     * @param message what failed
     * @param errorName the server's error name, or {@code null}
     * @param cause the underlying failure
     */
    public ConflictException(String message, String errorName, Throwable cause) {
        super(message, errorName, cause);
    }
}
