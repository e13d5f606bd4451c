package org.jxenbus.xenstore.api;

/**
 * A path is malformed (characters, length, {@code //}, trailing {@code /}); found before sending, so
 * nothing reached the server.
 */
public class InvalidPathException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the operation and path
     * @param errorName the server's error name, or {@code null} when found on the client side
     */
    public InvalidPathException(String message, String errorName) {
        super(message, errorName);
    }

    /**
     * @param message what failed
     * @param errorName the server's error name, or {@code null}
     * @param cause the underlying failure
     */
    public InvalidPathException(String message, String errorName, Throwable cause) {
        super(message, errorName, cause);
    }
}
