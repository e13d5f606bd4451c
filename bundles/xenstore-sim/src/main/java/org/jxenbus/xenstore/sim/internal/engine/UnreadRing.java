package org.jxenbus.xenstore.sim.internal.engine;

import org.jxenbus.xenstore.spi.ring.XenstoreRing;

/**
 * The output side of an in-JVM domain connection while no client is attached: a ring whose client is away.
 * xenstored goes on writing into such a ring until its {@code XENSTORE_RING_SIZE} bytes are full; what
 * is written no longer counts against the domain (memory, outstanding requests), a message only partly
 * written stays queued, and the rest waits. A client attaching later skips what the ring holds, as a ring
 * client skips stale responses, and receives what still waits. Engine thread only.
 */
final class UnreadRing implements Frontend {

    private final Xenstored xs;
    private final Connection conn;
    private int room = XenstoreRing.RING_SIZE;
    private OutMessage partial;

    UnreadRing(Xenstored xs, Connection conn) {
        this.xs = xs;
        this.conn = conn;
    }

    @Override
    public void outputAvailable() {
        while (room > 0) {
            OutMessage m = conn.outbox.take();
            if (m == null) {
                return;
            }
            int size = m.message.wireSize();
            if (size <= room) {
                room -= size;
                xs.output().written(conn, m);
            } else {
                room = 0;
                partial = m;
            }
        }
    }

    /** A client attaches: the message partly in the ring is lost to it (counted as written). */
    void handOver() {
        if (partial != null) {
            xs.output().written(conn, partial);
            partial = null;
        }
    }

    @Override
    public void closed() {
        partial = null;
    }
}
