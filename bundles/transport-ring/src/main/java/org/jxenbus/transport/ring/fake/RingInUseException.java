package org.jxenbus.transport.ring.fake;

import java.io.IOException;

/** A ring already has its one client: opening a second client of it is refused. */
public final class RingInUseException extends IOException {

    private static final long serialVersionUID = 1L;

    public RingInUseException(String message) {
        super(message);
    }
}
