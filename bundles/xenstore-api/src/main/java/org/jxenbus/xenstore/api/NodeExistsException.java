package org.jxenbus.xenstore.api;

/** The thing to create exists already: {@code EEXIST} (e.g. a second watch with the same path and token). */
public class NodeExistsException extends XenstoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the operation and path
     * @param errorName the server's error name, or {@code null} when found on the client side
     */
    public NodeExistsException(String message, String errorName) {
        super(message, errorName);
    }

    /**
     * @param message what failed
     * @param errorName the server's error name, or {@code null}
     * @param cause the underlying failure
     */
    public NodeExistsException(String message, String errorName, Throwable cause) {
        super(message, errorName, cause);
    }
}
