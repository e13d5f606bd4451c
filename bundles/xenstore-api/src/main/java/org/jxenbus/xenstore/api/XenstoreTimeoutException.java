package org.jxenbus.xenstore.api;

/** No reply arrived within the request's timeout. */
public class XenstoreTimeoutException extends XenstoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the operation and path
     * @param errorName the server's error name, or {@code null} when found on the client side
     */
    public XenstoreTimeoutException(String message, String errorName) {
        super(message, errorName);
    }

    /**
     * @param message what failed
     * @param errorName the server's error name, or {@code null}
     * @param cause the underlying failure
     */
    public XenstoreTimeoutException(String message, String errorName, Throwable cause) {
        super(message, errorName, cause);
    }
}
