package org.jxenbus.xenstore.spi.ring;

import java.lang.invoke.VarHandle;

/**
 * {@code struct xenstore_domain_interface} (xs_wire.h) on a {@link SharedPage}, seen from one end: the
 * client produces requests and consumes responses, the server the reverse. Written once for both.
 *
 * <p>Indices are free-running unsigned 32-bit counters (a byte lives at {@code index mod 1024}); they need
 * not start at 0. Every time an index is read the pair is checked: {@code prod - cons} must not exceed 1024
 * and the peer's index must not move backwards, else {@link RingCorruptedException}.
 *
 * <p>Memory ordering is Linux xenbus_comms.c's: read the peer's index with acquire before touching data;
 * a full fence before writing data after reading the consumer index; publish our index with release after
 * the data; a full fence between publishing and re-reading the peer's index for the kick decision.
 *
 * <p>Kicks: with suppression on (the seed's rule, the default), producing asks for a kick only if the peer
 * had consumed everything before (it may be asleep), and consuming only if the ring had been full (the peer
 * may wait for room). With suppression off, every transfer asks for a kick, as xenstored does.
 *
 * <p>Not thread-safe: one ring belongs to one I/O thread.
 */
public final class XenstoreRing {

    /** {@code XENSTORE_RING_SIZE}. */
    public static final int RING_SIZE = 1024;
    /** Offset of {@code req[]}. */
    public static final int REQ = 0;
    /** Offset of {@code rsp[]}. */
    public static final int RSP = 1024;
    /** Offset of {@code req_cons}. */
    public static final int REQ_CONS = 2048;
    /** Offset of {@code req_prod}. */
    public static final int REQ_PROD = 2052;
    /** Offset of {@code rsp_cons}. */
    public static final int RSP_CONS = 2056;
    /** Offset of {@code rsp_prod}. */
    public static final int RSP_PROD = 2060;
    /** Offset of {@code server_features}. */
    public static final int SERVER_FEATURES = 2064;
    /** Offset of {@code connection}. */
    public static final int CONNECTION = 2068;
    /** Offset of {@code error} (Xen 4.17 and later). */
    public static final int ERROR = 2072;
    /** Offset of {@code evtchn_port} (Xen 4.21 and later). */
    public static final int EVTCHN_PORT = 2076;

    /** {@code XENSTORE_SERVER_FEATURE_RECONNECTION}. */
    public static final int FEATURE_RECONNECTION = 1;
    /** {@code XENSTORE_SERVER_FEATURE_ERROR}. */
    public static final int FEATURE_ERROR = 2;
    /** {@code XENSTORE_SERVER_FEATURE_WATCHDEPTH}. */
    public static final int FEATURE_WATCHDEPTH = 4;
    /** {@code XENSTORE_CONNECTED}. */
    public static final int CONNECTED = 0;
    /** {@code XENSTORE_RECONNECT}. */
    public static final int RECONNECT = 1;
    /** {@code XENSTORE_ERROR_NONE}. */
    public static final int ERROR_NONE = 0;
    /** {@code XENSTORE_ERROR_COMM}: the event channel does not work. */
    public static final int ERROR_COMM = 1;
    /** {@code XENSTORE_ERROR_RINGIDX}: inconsistent ring indices. */
    public static final int ERROR_RINGIDX = 2;
    /** {@code XENSTORE_ERROR_PROTO}: protocol violation (a payload too long). */
    public static final int ERROR_PROTO = 3;

    /** Which end of the ring this object is. */
    public enum End {
        /** Produces requests, consumes responses (a guest, a client). */
        CLIENT,
        /** Consumes requests, produces responses (xenstored, the simulator). */
        SERVER
    }

    private final SharedPage page;
    private final End end;
    private final int outData;
    private final int outProd;
    private final int outCons;
    private final int inData;
    private final int inProd;
    private final int inCons;
    private boolean suppressKicks = true;
    private boolean kickWanted;
    private int lastPeerOutCons;
    private int lastPeerInProd;
    private boolean peerIndicesSeen;

    /** A view of {@code page} as {@code end}. */
    public XenstoreRing(SharedPage page, End end) {
        this.page = page;
        this.end = end;
        boolean client = end == End.CLIENT;
        this.outData = client ? REQ : RSP;
        this.outProd = client ? REQ_PROD : RSP_PROD;
        this.outCons = client ? REQ_CONS : RSP_CONS;
        this.inData = client ? RSP : REQ;
        this.inProd = client ? RSP_PROD : REQ_PROD;
        this.inCons = client ? RSP_CONS : REQ_CONS;
    }

    /** Turns the seed's kick suppression on (default) or off (kick after every transfer, as xenstored). */
    public void suppressKicks(boolean on) {
        suppressKicks = on;
    }

    /** Whether the last {@link #produce} or {@link #consume} asks the caller to kick the peer. */
    public boolean kickWanted() {
        return kickWanted;
    }

    /** Bytes that can be produced now. */
    public int room() throws RingCorruptedException {
        int prod = page.getIntVolatile(outProd);
        int cons = peerOutCons();
        return RING_SIZE - check("produce", prod, cons);
    }

    /** Bytes that can be consumed now. */
    public int available() throws RingCorruptedException {
        int prod = peerInProd();
        int cons = page.getIntVolatile(inCons);
        return check("consume", prod, cons);
    }

    /**
     * Copies up to {@code length} bytes of {@code src} into the ring and publishes them.
     *
     * @return the bytes produced (0 if the ring is full)
     */
    public int produce(byte[] src, int offset, int length) throws RingCorruptedException {
        kickWanted = false;
        int prod = page.getIntVolatile(outProd);
        int cons = peerOutCons();
        int n = Math.min(length, RING_SIZE - check("produce", prod, cons));
        if (n == 0) {
            return 0;
        }
        VarHandle.fullFence(); // write data only after reading the consumer index
        copy(outData, prod, src, offset, n, true);
        page.setIntRelease(outProd, prod + n); // the peer must not see the index before the data
        VarHandle.fullFence(); // publish before looking at the peer's progress
        int consNow = peerOutCons();
        kickWanted = !suppressKicks || consNow - prod >= 0; // the peer had consumed everything: it may sleep
        return n;
    }

    /**
     * Copies up to {@code length} available bytes out of the ring into {@code dst} and frees their room.
     *
     * @return the bytes consumed (0 if none were available)
     */
    public int consume(byte[] dst, int offset, int length) throws RingCorruptedException {
        kickWanted = false;
        int prod = peerInProd(); // acquire: read data only after reading the producer index
        int cons = page.getIntVolatile(inCons);
        int n = Math.min(length, check("consume", prod, cons));
        if (n == 0) {
            return 0;
        }
        copy(inData, cons, dst, offset, n, false);
        page.setIntRelease(inCons, cons + n); // free the room only after copying out
        VarHandle.fullFence(); // publish before looking at the peer's progress
        int prodNow = peerInProd();
        kickWanted = !suppressKicks || Integer.compareUnsigned(prodNow - cons, RING_SIZE) >= 0; // it had been full
        return n;
    }

    /** The server's advertised features ({@code FEATURE_*} bits). */
    public int serverFeatures() {
        return page.getIntAcquire(SERVER_FEATURES);
    }

    /** The {@code connection} field: {@link #CONNECTED} or {@link #RECONNECT}. */
    public int connection() {
        return page.getIntAcquire(CONNECTION);
    }

    /** The {@code error} field; meaningful only when the server advertises {@link #FEATURE_ERROR}. */
    public int error() {
        return page.getIntAcquire(ERROR);
    }

    /** The {@code evtchn_port} field (0 when unset). */
    public int eventChannelPort() {
        return page.getIntAcquire(EVTCHN_PORT);
    }

    /** Client: asks the server to reset the ring (only valid if it advertises reconnection). */
    public void requestReconnect() {
        requireEnd(End.CLIENT, "request a reconnection");
        page.setIntVolatile(CONNECTION, RECONNECT);
    }

    /** Server: advertises features; done before producing or consuming anything. */
    public void advertise(int features) {
        requireEnd(End.SERVER, "advertise features");
        page.setIntVolatile(SERVER_FEATURES, features);
    }

    /** Server: reports an error on this ring and stops serving it. */
    public void setError(int error) {
        requireEnd(End.SERVER, "set the error field");
        page.setIntVolatile(ERROR, error);
    }

    /**
     * Server: completes a reconnection: both queues emptied (indices to 0), then {@code connection} back to
     * {@link #CONNECTED}. The caller kicks the client afterwards.
     */
    public void completeReconnect() {
        requireEnd(End.SERVER, "complete a reconnection");
        page.setIntVolatile(REQ_CONS, 0);
        page.setIntVolatile(REQ_PROD, 0);
        page.setIntVolatile(RSP_CONS, 0);
        page.setIntVolatile(RSP_PROD, 0);
        forgetPeerIndices();
        page.setIntVolatile(CONNECTION, CONNECTED);
    }

    /**
     * Client, when connecting (Linux's {@code xb_init_comms}): responses left in the ring are stale (their
     * requests were someone else's, or ours before a reset) and are skipped, so they can never be matched
     * to a reused request id.
     *
     * @return the bytes of stale responses skipped, and whether unconsumed requests were left (in the
     *         {@link Leftovers})
     */
    public Leftovers discardStale() throws RingCorruptedException {
        requireEnd(End.CLIENT, "discard stale responses");
        forgetPeerIndices();
        int rspProd = page.getIntAcquire(RSP_PROD);
        int rspCons = page.getIntVolatile(RSP_CONS);
        int stale = check("consume", rspProd, rspCons);
        if (stale > 0) {
            page.setIntRelease(RSP_CONS, rspProd);
        }
        int reqProd = page.getIntVolatile(REQ_PROD);
        int reqCons = page.getIntAcquire(REQ_CONS);
        return new Leftovers(stale, check("produce", reqProd, reqCons));
    }

    /**
     * What a client found on a ring it connected to.
     *
     * @param staleResponseBytes response bytes skipped
     * @param pendingRequestBytes request bytes the server had not consumed (reported, left alone)
     */
    public record Leftovers(int staleResponseBytes, int pendingRequestBytes) {
    }

    /** Forgets the peer's last indices (after a reset, when they may legitimately go back to 0). */
    public void forgetPeerIndices() {
        peerIndicesSeen = false;
    }

    /** The page. */
    public SharedPage page() {
        return page;
    }

    /** Which end this is. */
    public End end() {
        return end;
    }

    private int peerOutCons() throws RingCorruptedException {
        int cons = page.getIntAcquire(outCons);
        if (peerIndicesSeen && cons - lastPeerOutCons < 0) {
            throw corrupted("the peer's consumer index moved backwards", lastPeerOutCons, cons);
        }
        lastPeerOutCons = cons;
        markSeen();
        return cons;
    }

    private int peerInProd() throws RingCorruptedException {
        int prod = page.getIntAcquire(inProd);
        if (peerIndicesSeen && prod - lastPeerInProd < 0) {
            throw corrupted("the peer's producer index moved backwards", lastPeerInProd, prod);
        }
        lastPeerInProd = prod;
        markSeen();
        return prod;
    }

    private void markSeen() {
        if (!peerIndicesSeen) {
            peerIndicesSeen = true;
            lastPeerOutCons = page.getIntAcquire(outCons);
            lastPeerInProd = page.getIntAcquire(inProd);
        }
    }

    /** {@code prod - cons} after checking it is within the ring. */
    private int check(String side, int prod, int cons) throws RingCorruptedException {
        int used = prod - cons;
        if (Integer.compareUnsigned(used, RING_SIZE) > 0) {
            throw new RingCorruptedException(page.describe() + ": inconsistent " + side + " indices on the "
                    + (side.equals("produce") == (end == End.CLIENT) ? "request" : "response") + " ring: prod "
                    + Integer.toUnsignedString(prod) + " - cons " + Integer.toUnsignedString(cons) + " = "
                    + Integer.toUnsignedString(used) + " > " + RING_SIZE);
        }
        return used;
    }

    private RingCorruptedException corrupted(String what, int before, int now) {
        return new RingCorruptedException(page.describe() + ": " + what + ": " + Integer.toUnsignedString(before)
                + " -> " + Integer.toUnsignedString(now));
    }

    private void copy(int base, int index, byte[] buf, int offset, int n, boolean intoRing) {
        int start = index & (RING_SIZE - 1);
        int first = Math.min(n, RING_SIZE - start);
        if (intoRing) {
            page.write(base + start, buf, offset, first);
            page.write(base, buf, offset + first, n - first);
        } else {
            page.read(base + start, buf, offset, first);
            page.read(base, buf, offset + first, n - first);
        }
    }

    private void requireEnd(End wanted, String action) {
        if (end != wanted) {
            throw new IllegalStateException("only the " + wanted.name().toLowerCase() + " end may " + action);
        }
    }
}
