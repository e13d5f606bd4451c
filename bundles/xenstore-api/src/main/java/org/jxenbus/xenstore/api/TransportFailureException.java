package org.jxenbus.xenstore.api;

/** The connection failed or was closed before the reply arrived; the request may or may not have reached the server. */
public class TransportFailureException extends XenstoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the operation and path
     * @param errorName the server's error name, or {@code null} when found on the client side
     */
    public TransportFailureException(String message, String errorName) {
        super(message, errorName);
    }

    /**
     * @param message what failed
     * @param errorName the server's error name, or {@code null}
     * @param cause the underlying failure
     */
    public TransportFailureException(String message, String errorName, Throwable cause) {
        super(message, errorName, cause);
    }
}
