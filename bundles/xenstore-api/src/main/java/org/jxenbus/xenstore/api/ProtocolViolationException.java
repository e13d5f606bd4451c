package org.jxenbus.xenstore.api;

/** The server sent something the protocol does not allow (a malformed header, an oversize message, a reply of the wrong type). */
public class ProtocolViolationException extends XenstoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the operation and path
     * @param errorName the server's error name, or {@code null} when found on the client side
     */
    public ProtocolViolationException(String message, String errorName) {
        super(message, errorName);
    }

    /**
     * @param message what failed
     * @param errorName the server's error name, or {@code null}
     * @param cause the underlying failure
     */
    public ProtocolViolationException(String message, String errorName, Throwable cause) {
        super(message, errorName, cause);
    }
}
