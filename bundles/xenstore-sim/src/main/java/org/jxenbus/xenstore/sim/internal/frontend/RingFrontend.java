package org.jxenbus.xenstore.sim.internal.frontend;

import java.util.ArrayDeque;

import org.jxenbus.transport.ring.server.ServedRing;
import org.jxenbus.xenstore.sim.internal.engine.Connection;
import org.jxenbus.xenstore.sim.internal.engine.Frontend;
import org.jxenbus.xenstore.sim.internal.engine.Hypervisor;
import org.jxenbus.xenstore.spi.ring.SharedPage;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.jxenbus.xenstore.spi.wire.XsMessage;

/**
 * One domain's connection served on its ring. Requests the ring server decodes go into the connection's
 * inbox; replies go from the outbox to the ring server only as far as the ring has room for them to start,
 * so the rest stays in the outbox (where xenstored keeps unsent messages: duplicate events are recognised,
 * stale ones expire); a reply counts as written once the response producer index passes its last byte.
 */
final class RingFrontend implements Frontend, Hypervisor.RingAttachment, ServedPage.ResponseListener {

    private final RingHost host;
    /** Set once, before the ring is served. */
    private volatile Connection conn;
    private final int domid;
    private volatile ServedRing served;
    private volatile ServedPage page;
    /** Handed to the ring server, not yet wholly in the ring: the handle and where it ends in the stream. */
    private final ArrayDeque<Object[]> inFlight = new ArrayDeque<>();
    /** Bytes handed to the ring server and bytes it put into the ring, since the ring was (re)set. */
    private int handed;
    private int produced;
    private boolean closed;
    private volatile boolean resetPending;

    RingFrontend(RingHost host, Connection conn, int domid) {
        this.host = host;
        this.conn = conn;
        this.domid = domid;
    }

    /** A frontend whose connection the engine makes for it ({@link #connection(Connection)}, then served). */
    RingFrontend(RingHost host, int domid) {
        this(host, null, domid);
    }

    void connection(Connection c) {
        conn = c;
    }

    int domid() {
        return domid;
    }

    Connection connection() {
        return conn;
    }

    /** The ring is served (again): its page and the server's handle. */
    synchronized void served(ServedRing ring, ServedPage p) {
        this.served = ring;
        this.page = p;
        restart();
        p.listener(this);
        p.mayRead(conn::wantsRequest);
        pump();
    }

    private void restart() {
        inFlight.clear();
        handed = 0;
        produced = 0;
    }

    boolean serves(ServedRing ring) {
        return served == ring || served == null;
    }

    /** A request the ring server decoded: into the inbox; the ring is not read again until it is processed. */
    void request(XsMessage m) {
        conn.submit(m);
        ServedPage p = page;
        if (p != null) {
            p.delivered(m.wireSize());
        }
    }

    @Override
    public void outputAvailable() {
        pump();
    }

    /**
     * Hands outbox messages to the ring server while the ring has room for them to start: as xenstored, which
     * writes into a ring what fits and leaves the rest queued (where it can still be dropped on a timeout).
     */
    private synchronized void pump() {
        ServedRing ring = served;
        ServedPage p = page;
        if (ring == null || p == null || closed) {
            return;
        }
        SharedPage raw = p.raw();
        int room = XenstoreRing.RING_SIZE - (p.responsesEnd() - raw.getIntVolatile(XenstoreRing.RSP_CONS));
        while (handed - produced < room) {
            Object handle = conn.takeHandle();
            if (handle == null) {
                return;
            }
            XsMessage m = Connection.messageOf(handle);
            handed += m.wireSize();
            inFlight.add(new Object[] {handle, handed});
            ring.reply(m);
        }
    }

    @Override
    public synchronized void produced(int bytes) {
        produced += bytes;
        while (!inFlight.isEmpty() && (int) inFlight.peek()[1] - produced <= 0) {
            conn.written(inFlight.poll()[0]);
        }
        pump();
    }

    @Override
    public void looked() {
        if (conn.hasOutput()) {
            pump();
        }
    }

    @Override
    public void consumedFromFullRing() {
        ServedRing r = served;
        if (r != null) {
            host.kick(r);
        }
    }

    @Override
    public synchronized void reset() {
        restart();
    }

    @Override
    public void readable(boolean yes) {
        if (yes) {
            host.wakeServer();
        }
    }

    @Override
    public void reset(int port) {
        host.restart(this);
    }

    /**
     * INTRODUCE again: the ring is reset by the server, the engine having dropped the state; returns once
     * the indices are zeroed (as xenstored zeroes them before acknowledging), or after a second if the server
     * does not get to it (a broken ring).
     */
    void resetPending() {
        resetPending = true;
        ServedPage p = page;
        if (p != null) {
            p.requestReset();
            host.wakeServer();
            if (!failed()) {
                p.awaitReset(1000);
            }
        }
    }

    /** Whether the server's reset is the one INTRODUCE asked for (then the engine need not be told). */
    boolean takeResetPending() {
        boolean was = resetPending;
        resetPending = false;
        return was;
    }

    @Override
    public void detach() {
        synchronized (this) {
            closed = true;
        }
        host.stop(this);
    }

    @Override
    public boolean failed() {
        ServedRing r = served;
        return r != null && r.failed();
    }

    @Override
    public void closed() {
        detach();
    }

    ServedRing servedRing() {
        return served;
    }

    @Override
    public String toString() {
        return "ring of domain " + Integer.toUnsignedString(domid);
    }
}
