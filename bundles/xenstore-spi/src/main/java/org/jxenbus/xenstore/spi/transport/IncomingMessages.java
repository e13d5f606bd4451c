package org.jxenbus.xenstore.spi.transport;

import org.jxenbus.xenstore.spi.wire.XsMessage;

/** Where a transport's I/O thread delivers whole received messages. */
@FunctionalInterface
public interface IncomingMessages {

    /** Takes one received message; called on the I/O thread in stream order. */
    void deliver(XsMessage message);
}
