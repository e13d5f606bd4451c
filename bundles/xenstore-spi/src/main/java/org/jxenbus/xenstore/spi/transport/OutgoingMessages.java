package org.jxenbus.xenstore.spi.transport;

import org.jxenbus.xenstore.spi.wire.XsMessage;

/** The core's queue of messages to send, as a transport's I/O thread sees it. */
@FunctionalInterface
public interface OutgoingMessages {

    /**
     * Takes the next message to write, or returns {@code null} when there is none or the in-flight window
     * is full. A message taken is the transport's to write completely.
     */
    XsMessage take();
}
