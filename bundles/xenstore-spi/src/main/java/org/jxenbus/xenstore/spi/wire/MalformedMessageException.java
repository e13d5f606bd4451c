package org.jxenbus.xenstore.spi.wire;

/**
 * Wire data that breaks the protocol: a header announcing more than {@link XsWire#XENSTORE_PAYLOAD_MAX}
 * bytes, a payload without its terminating NUL, an unknown error name where a known one is required, a
 * malformed permission string. Checked, so that every transport and server decides what it means for the
 * stream (resynchronise, or fail the connection).
 */
public class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, quoting the offending bytes where short */
    public MalformedMessageException(String message) {
        super(message);
    }
}
