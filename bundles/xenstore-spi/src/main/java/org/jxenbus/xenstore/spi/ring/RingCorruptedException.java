package org.jxenbus.xenstore.spi.ring;

import java.io.IOException;

/**
 * The ring's indices are inconsistent ({@code prod - cons > 1024}, or moving backwards), or the server
 * reported an error in the page's {@code error} field. The connection over that ring cannot go on.
 */
public class RingCorruptedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what was found, with the index values */
    public RingCorruptedException(String message) {
        super(message);
    }
}
