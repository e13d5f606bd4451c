package org.jxenbus.transport.ring.server;

import org.jxenbus.xenstore.spi.wire.XsMessage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Answers the requests arriving on served rings. Called on the server's I/O thread, one message at a time
 * per ring, in ring order; it must not block (reply with {@link ServedRing#reply}, now or later from any
 * thread).
 */
@ConsumerType
public interface RingRequestHandler {

    /** One whole request from {@code ring}. */
    void request(ServedRing ring, XsMessage request);

    /**
     * The client asked for a reconnection: everything of this ring (watches, transactions, queued replies)
     * must be forgotten. Called before the ring is reset and the client told.
     */
    default void reset(ServedRing ring) {
    }

    /** The ring stopped being served: its indices were corrupt or it broke the protocol. */
    default void failed(ServedRing ring, String why) {
    }
}
