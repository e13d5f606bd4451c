package org.jxenbus.xenstore.sim.internal.frontend;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jxenbus.xenstore.spi.ring.SharedPage;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * A served ring's page as {@link org.jxenbus.transport.ring.server.RingServer} sees it, adjusted to the
 * simulated xenstored:
 * <ul>
 * <li>{@code server_features} says what the profile advertises (0 for 4.17);</li>
 * <li>with the 4.17 profile the {@code connection} field reads CONNECTED (4.17 ignores reconnection
 * requests), except once after {@link #requestReset} (the server then resets the ring on its thread);</li>
 * <li>the request producer index shows the server one request at a time, and none while the engine would
 * not take it (requests waiting, outstanding or memory quota reached), as xenstored reads one request at a
 * time and stops reading a domain over its quota;</li>
 * <li>each publication of the response producer index is reported, so the engine learns which replies are
 * in the ring; a consumption from a full request ring is reported, so its client is kicked;</li>
 * <li>indices the client moves behind the server's back (say from 0 to 0xffffff00 on an idle ring) are
 * followed, as xenstored reads them afresh every time: the server sees them shifted by a multiple of the
 * ring size, so that its indices never go back and every index still names the same byte of the ring.</li>
 * </ul>
 *
 * <p>The ring server calls it from its one thread; {@link #requestReset} and {@link #awaitReset} come from
 * the engine's.
 */
final class ServedPage implements SharedPage {

    /** Told what the server does with the ring. */
    interface ResponseListener {
        /** {@code rsp_prod} published {@code bytes} further after a write of responses. */
        void produced(int bytes);

        /** {@code rsp_prod} set back (a reconnection zeroes the indices). */
        void reset();

        /** The server looked at the ring (each pass does): room may have appeared in it. */
        void looked();

        /**
         * The server consumed requests from a request ring that had been full: the client may be waiting for
         * room, and the server's own kick decision saw only the requests shown to it.
         */
        void consumedFromFullRing();
    }

    private final SharedPage page;
    private final int features;
    private final boolean reconnection;
    private volatile BooleanSupplier mayRead = () -> true;
    private volatile ResponseListener listener;
    private volatile boolean resetRequested;
    private volatile CountDownLatch resetDone;
    private int lastShown;
    private boolean seen;
    /** Where the next request starts: the end of the last one handed over. */
    private int messageStart;
    /** The end of the request starting at {@link #messageStart}, once its header has been read. */
    private int messageEnd;
    private boolean endKnown;
    /** A real index is the index the server sees plus the shift of its ring (a multiple of the ring size). */
    private int reqShift;
    private int rspShift;
    /** The real {@code req_cons} and {@code rsp_prod} as the server last wrote or found them. */
    private int reqConsReal;
    private volatile int rspProdReal;

    ServedPage(SharedPage page, int features, boolean reconnection) {
        this.page = page;
        this.features = features;
        this.reconnection = reconnection;
    }

    void listener(ResponseListener l) {
        listener = l;
    }

    /** What decides whether new requests are shown to the server. */
    void mayRead(BooleanSupplier rule) {
        mayRead = rule;
    }

    /** The page itself, bypassing the adjustments. */
    SharedPage raw() {
        return page;
    }

    /**
     * Where the responses in the ring end, counting those whose {@code rsp_prod} the server is publishing
     * (the listener hears of them before the client can see them): room in the ring is measured from here, or
     * an engine deciding what fits at that moment would count those bytes as room. Any thread.
     */
    int responsesEnd() {
        int published = page.getIntVolatile(XenstoreRing.RSP_PROD);
        int written = rspProdReal;
        return Integer.compareUnsigned(written - published, XenstoreRing.RING_SIZE) <= 0 ? written : published;
    }

    /** Where consumption stands when the ring starts being served (before the server first looks). */
    void start() {
        messageStart = page.getIntVolatile(XenstoreRing.REQ_CONS);
        endKnown = false;
        reqShift = 0;
        rspShift = 0;
        reqConsReal = messageStart;
        lastShown = messageStart;
        rspProdReal = page.getIntVolatile(XenstoreRing.RSP_PROD);
    }

    /** A request of {@code size} bytes was decoded and handed over: the next one may be shown. */
    void delivered(int size) {
        messageStart += size;
        endKnown = false;
    }

    /**
     * Makes the server reset the ring as on a client's reconnection request (indices zeroed, partial and
     * queued messages dropped), on its own thread: what INTRODUCE of an introduced domain does to its ring.
     */
    void requestReset() {
        resetDone = new CountDownLatch(1);
        resetRequested = true;
    }

    /** Waits (at most {@code millis}) until the server has completed the reset {@link #requestReset} asked for. */
    boolean awaitReset(long millis) {
        CountDownLatch l = resetDone;
        if (l == null) {
            return true;
        }
        try {
            return l.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean isIndex(int offset) {
        return offset == XenstoreRing.REQ_CONS || offset == XenstoreRing.REQ_PROD || offset == XenstoreRing.RSP_CONS
                || offset == XenstoreRing.RSP_PROD;
    }

    private int shiftOf(int offset) {
        return offset == XenstoreRing.REQ_CONS || offset == XenstoreRing.REQ_PROD ? reqShift : rspShift;
    }

    /**
     * The indices only the server writes ({@code req_cons}, {@code rsp_prod}) changed without it: the client
     * moved them. From then on the server sees them moved forward by less than a ring to the same position in
     * the ring, never behind what it has seen.
     */
    private void followClientMoves() {
        int cons = page.getIntVolatile(XenstoreRing.REQ_CONS);
        if (cons != reqConsReal) {
            int seenCons = reqConsReal - reqShift;
            int from = lastShown - seenCons > 0 ? lastShown : seenCons;
            int now = from + ((cons - from) & (XenstoreRing.RING_SIZE - 1));
            reqShift = cons - now;
            reqConsReal = cons;
            messageStart = now;
            endKnown = false;
            seen = false;
        }
        int prod = page.getIntVolatile(XenstoreRing.RSP_PROD);
        if (prod != rspProdReal) {
            int from = rspProdReal - rspShift;
            rspShift = prod - (from + ((prod - from) & (XenstoreRing.RING_SIZE - 1)));
            rspProdReal = prod;
        }
    }

    private int adjust(int offset, int raw) {
        int value = raw;
        if (isIndex(offset)) {
            followClientMoves();
            value = raw - shiftOf(offset);
        }
        if (offset == XenstoreRing.REQ_PROD) {
            if (seen && !mayRead.getAsBoolean()) {
                return lastShown;
            }
            lastShown = showable(value);
            seen = true;
            return lastShown;
        }
        if (offset == XenstoreRing.CONNECTION) {
            if (resetRequested) {
                resetRequested = false;
                return XenstoreRing.RECONNECT;
            }
            if (!reconnection) {
                return XenstoreRing.CONNECTED;
            }
        }
        return value;
    }

    /**
     * The producer index as far as the end of the next request (the one after the last handed over): the
     * server reads one request at a time and stops between requests. The request's header is read before the
     * server consumes any of it (later the client may have written over it); until the whole header is
     * there, nothing of it is shown.
     */
    private int showable(int prod) {
        int cons = page.getIntVolatile(XenstoreRing.REQ_CONS) - reqShift;
        if (Integer.compareUnsigned(prod - cons, XenstoreRing.RING_SIZE) > 0
                || Integer.compareUnsigned(cons - messageStart, XsWire.MESSAGE_MAX) > 0) {
            return prod; // broken indices: the server reports them
        }
        if (!endKnown) {
            if (Integer.compareUnsigned(prod - messageStart, XsWire.HEADER_SIZE) < 0) {
                return messageStart;
            }
            byte[] len = new byte[4];
            for (int i = 0; i < 4; i++) {
                int at = (messageStart + 12 + i) & (XenstoreRing.RING_SIZE - 1);
                page.read(XenstoreRing.REQ + at, len, i, 1);
            }
            int length = ByteBuffer.wrap(len).order(XsWire.BYTE_ORDER).getInt();
            if (Integer.compareUnsigned(length, XsWire.XENSTORE_PAYLOAD_MAX) > 0) {
                return prod; // oversize: the server refuses it
            }
            messageEnd = messageStart + XsWire.HEADER_SIZE + length;
            endKnown = true;
        }
        return Integer.compareUnsigned(prod - messageStart, messageEnd - messageStart) < 0 ? prod : messageEnd;
    }

    @Override
    public int getIntAcquire(int offset) {
        if (offset == XenstoreRing.REQ_PROD) {
            ResponseListener l = listener;
            if (l != null) {
                l.looked();
            }
        }
        return adjust(offset, page.getIntAcquire(offset));
    }

    @Override
    public int getIntVolatile(int offset) {
        return adjust(offset, page.getIntVolatile(offset));
    }

    @Override
    public void setIntRelease(int offset, int value) {
        if (offset == XenstoreRing.REQ_CONS) {
            int before = page.getIntVolatile(XenstoreRing.REQ_CONS);
            reqConsReal = value + reqShift;
            page.setIntRelease(offset, reqConsReal);
            VarHandle.fullFence();
            int prod = page.getIntVolatile(XenstoreRing.REQ_PROD);
            ResponseListener l = listener;
            if (l != null && Integer.compareUnsigned(prod - before, XenstoreRing.RING_SIZE) >= 0) {
                l.consumedFromFullRing();
            }
            return;
        }
        if (offset == XenstoreRing.RSP_PROD) {
            // before the client can see them: the engine never counts a reply the client has read as unwritten
            int bytes = value - (rspProdReal - rspShift);
            rspProdReal = value + rspShift;
            ResponseListener l = listener;
            if (l != null) {
                l.produced(bytes);
            }
            page.setIntRelease(offset, rspProdReal);
            return;
        }
        page.setIntRelease(offset, value);
    }

    @Override
    public void setIntVolatile(int offset, int value) {
        if (offset == XenstoreRing.SERVER_FEATURES) {
            page.setIntVolatile(offset, features);
            return;
        }
        page.setIntVolatile(offset, value);
        if (isIndex(offset)) {
            // a reset writes the indices themselves: no shift from here on
            if (offset == XenstoreRing.REQ_CONS || offset == XenstoreRing.REQ_PROD) {
                reqShift = 0;
                reqConsReal = page.getIntVolatile(XenstoreRing.REQ_CONS);
            } else {
                rspShift = 0;
                rspProdReal = page.getIntVolatile(XenstoreRing.RSP_PROD);
            }
        }
        if (offset == XenstoreRing.REQ_PROD) {
            seen = false;
            messageStart = value;
            lastShown = value;
            endKnown = false;
        } else if (offset == XenstoreRing.CONNECTION && value == XenstoreRing.CONNECTED) {
            CountDownLatch l = resetDone;
            if (l != null && !resetRequested) {
                l.countDown(); // the reset is complete: indices zeroed, connection back to CONNECTED
            }
        } else if (offset == XenstoreRing.RSP_PROD) {
            ResponseListener l = listener;
            if (l != null) {
                l.reset();
            }
        }
    }

    @Override
    public void read(int offset, byte[] dst, int dstOffset, int length) {
        page.read(offset, dst, dstOffset, length);
    }

    @Override
    public void write(int offset, byte[] src, int srcOffset, int length) {
        page.write(offset, src, srcOffset, length);
    }

    @Override
    public String describe() {
        return page.describe();
    }

    @Override
    public void close() {
        page.close();
    }
}
