package org.jxenbus.xenstore.api;

/** A value, request or reply exceeds the protocol's payload limit: {@code E2BIG} (not a quota). */
public class TooBigException extends XenstoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the operation and path
     * @param errorName the server's error name, or {@code null} when found on the client side
     */
    public TooBigException(String message, String errorName) {
        super(message, errorName);
    }

    /**
     * @param message what failed
     * @param errorName the server's error name, or {@code null}
     * @param cause the underlying failure
     */
    public TooBigException(String message, String errorName, Throwable cause) {
        super(message, errorName, cause);
    }
}
