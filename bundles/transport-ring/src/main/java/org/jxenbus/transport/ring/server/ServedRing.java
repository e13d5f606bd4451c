package org.jxenbus.transport.ring.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.jxenbus.xenstore.spi.wire.FrameDecoder;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * One domain's ring as the server serves it. {@link #reply} is thread-safe; everything else belongs to the
 * server's I/O thread.
 */
public final class ServedRing {

    private final int domid;
    private final int port;
    private final XenstoreRing ring;
    private final RingServer server;
    final FrameDecoder decoder = new FrameDecoder();
    final Queue<XsMessage> replies = new ConcurrentLinkedQueue<>();
    final byte[] chunk = new byte[XenstoreRing.RING_SIZE];
    final LongAdder kicksSent = new LongAdder();
    final LongAdder requests = new LongAdder();
    java.nio.ByteBuffer unread = java.nio.ByteBuffer.allocate(0);
    byte[] outMessage;
    int outOffset;
    volatile boolean failed;

    ServedRing(int domid, int port, XenstoreRing ring, RingServer server) {
        this.domid = domid;
        this.port = port;
        this.ring = ring;
        this.server = server;
    }

    /** The domain whose ring this is. */
    public int domid() {
        return domid;
    }

    /** The server's local event-channel port for this ring. */
    public int port() {
        return port;
    }

    /** Queues a reply or watch event for the client; any thread. Dropped if the ring has failed. */
    public void reply(XsMessage message) {
        if (message.wireSize() > XsWire.MESSAGE_MAX) {
            throw new IllegalArgumentException("message too large for a ring: " + message);
        }
        if (!failed) {
            replies.add(message);
            server.replyQueued(this);
        }
    }

    /** Kicks sent to this ring's client. */
    public long kicksSent() {
        return kicksSent.sum();
    }

    /** Requests received on this ring. */
    public long requests() {
        return requests.sum();
    }

    /** Whether the server stopped serving this ring. */
    public boolean failed() {
        return failed;
    }

    XenstoreRing ring() {
        return ring;
    }

    /** Forgets partial messages both ways and queued replies (a reconnection). */
    void forget() {
        decoder.reset();
        replies.clear();
        unread = java.nio.ByteBuffer.allocate(0);
        outMessage = null;
        outOffset = 0;
    }

    @Override
    public String toString() {
        return "ring of domain " + domid + " (" + ring.page().describe() + ")";
    }
}
