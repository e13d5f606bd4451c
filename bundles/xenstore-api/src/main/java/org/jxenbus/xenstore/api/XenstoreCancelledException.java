package org.jxenbus.xenstore.api;

/**
 * The call was cancelled through its {@link RequestScope} before its reply arrived; its request had not
 * been written, or changes nothing, so nothing happened on the server on its behalf.
 */
public class XenstoreCancelledException extends XenstoreException {
    private static final long serialVersionUID = 1L;

    /** @param message what was cancelled */
    public XenstoreCancelledException(String message) {
        super(message, null);
    }
}
