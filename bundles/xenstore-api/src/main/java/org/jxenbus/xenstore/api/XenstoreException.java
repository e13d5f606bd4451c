package org.jxenbus.xenstore.api;

/**
 * A xenstore request failed. The server's error name (e.g. {@code ENOENT}, {@code EQUOTA}) is kept as
 * sent, including names this library does not know; errors found on the client side carry the name the
 * server would have used, or {@code null} when there is none.
 *
 * <p>Subclasses name the errors callers handle. Unchecked, so that verbs compose in lambdas and futures.
 */
public class XenstoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errorName;

    /**
     * @param message what failed, naming the operation and path
     * @param errorName the server's error name, or {@code null}
     */
    public XenstoreException(String message, String errorName) {
        this(message, errorName, null);
    }

    /**
     * @param message what failed, naming the operation and path
     * @param errorName the server's error name, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public XenstoreException(String message, String errorName, Throwable cause) {
        super(message, cause);
        this.errorName = errorName;
    }

    /** The server's raw error name ({@code EINVAL}, {@code EQUOTA} ...), or {@code null}. */
    public String errorName() {
        return errorName;
    }
}
