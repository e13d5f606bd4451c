package org.jxenbus.xenstore.api;

/** The server, or the client before sending, found the request malformed: {@code EINVAL}. */
public class InvalidRequestException extends XenstoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the operation and path
     * @param errorName the server's error name, or {@code null} when found on the client side
     */
    public InvalidRequestException(String message, String errorName) {
        super(message, errorName);
    }

    /**
     * @param message what failed
     * @param errorName the server's error name, or {@code null}
     * @param cause the underlying failure
     */
    public InvalidRequestException(String message, String errorName, Throwable cause) {
        super(message, errorName, cause);
    }
}
