package org.jxenbus.xenstore.api;

/**
 * The calling thread was interrupted while it waited for a reply. The thread's interrupt flag is set again
 * before this is thrown; the request is abandoned (the connection stays usable).
 */
public class XenstoreInterruptedException extends XenstoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was being waited for
     * @param cause the {@link InterruptedException}
     */
    public XenstoreInterruptedException(String message, InterruptedException cause) {
        super(message, null, cause);
    }
}
