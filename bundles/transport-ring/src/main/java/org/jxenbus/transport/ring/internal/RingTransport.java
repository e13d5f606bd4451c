package org.jxenbus.transport.ring.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.spi.ring.EventChannels;
import org.jxenbus.xenstore.spi.ring.RingCorruptedException;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.jxenbus.xenstore.spi.transport.IncomingMessages;
import org.jxenbus.xenstore.spi.transport.OutgoingMessages;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportInfo;
import org.jxenbus.xenstore.spi.wire.FrameDecoder;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * The client end of a xenstore ring as a {@link Transport}. The core's one I/O thread owns the event
 * channel and moves both directions (a second waiter on the same channel would steal kicks): messages
 * stream through the 1 KiB request ring across several passes, responses are cut into messages by the
 * shared {@link FrameDecoder}, and a full ring makes the writer wait for a kick, never spin.
 *
 * <p>Kicks follow {@link XenstoreRing}'s suppression and are sent at most once per {@link #write} or
 * {@link #read}. Before sleeping, the ring is looked at once more (the protocol is level-based), and every
 * wake-up by timeout that finds work a kick should have announced is counted: it must stay 0.
 */
final class RingTransport implements Transport {

    private static final Logger LOG = System.getLogger(RingTransport.class.getName());

    private final XenstoreRing ring;
    private final EventChannels channels;
    private final int port;
    private final TransportInfo info;
    private final KickCounters counters;
    private final FrameDecoder decoder = new FrameDecoder();
    private final byte[] chunk = new byte[XenstoreRing.RING_SIZE];
    private ByteBuffer unread = ByteBuffer.allocate(0);
    private byte[] outMessage;
    private int outOffset;
    private boolean kickOwed;

    private RingTransport(XenstoreRing ring, EventChannels channels, int port, TransportInfo info,
            KickCounters counters) {
        this.ring = ring;
        this.channels = channels;
        this.port = port;
        this.info = info;
        this.counters = counters;
    }

    /**
     * Connects over a ring as Linux's {@code xb_init_comms} does: refuses a ring the server marked broken,
     * waits for a pending reconnection to finish, skips stale responses (so no reply of someone else's or of
     * an earlier connection can be matched to a reused id) and reports leftover requests.
     *
     * @param connectTimeoutNanos how long to wait for a ring the server is still resetting
     */
    static RingTransport connect(XenstoreRing ring, EventChannels channels, int port, TransportInfo info,
            KickCounters counters, long connectTimeoutNanos) throws IOException {
        RingTransport t = new RingTransport(ring, channels, port, info, counters);
        t.checkServerError();
        if (ring.connection() != XenstoreRing.CONNECTED) {
            t.awaitConnected(connectTimeoutNanos);
        }
        XenstoreRing.Leftovers left = ring.discardStale();
        if (left.staleResponseBytes() > 0 || left.pendingRequestBytes() > 0) {
            LOG.log(Level.INFO, info.uri() + ": connecting to a ring that was not idle: skipped "
                    + left.staleResponseBytes() + " bytes of stale responses; " + left.pendingRequestBytes()
                    + " bytes of requests still unconsumed by the server");
        }
        return t;
    }

    @Override
    public TransportInfo info() {
        return info;
    }

    @Override
    public boolean write(OutgoingMessages source) throws IOException {
        try {
            while (true) {
                if (outMessage == null) {
                    XsMessage m = source.take();
                    if (m == null) {
                        return true;
                    }
                    outMessage = XsWire.encode(m);
                    outOffset = 0;
                }
                int n = ring.produce(outMessage, outOffset, outMessage.length - outOffset);
                kickOwed |= ring.kickWanted();
                outOffset += n;
                if (outOffset == outMessage.length) {
                    outMessage = null;
                } else if (n == 0) {
                    return false;
                }
            }
        } finally {
            kickIfOwed();
        }
    }

    @Override
    public void read(IncomingMessages sink) throws IOException, MalformedMessageException {
        try {
            while (true) {
                if (!unread.hasRemaining()) {
                    int n = ring.consume(chunk, 0, chunk.length);
                    kickOwed |= ring.kickWanted();
                    unread = ByteBuffer.wrap(chunk, 0, n);
                }
                boolean fresh = unread.hasRemaining();
                // Fed even when empty: a message kept after a failed hand-over goes first.
                decoder.feed(unread, sink::deliver);
                if (!fresh) {
                    return;
                }
            }
        } catch (RingCorruptedException e) {
            throw withServerError(e);
        } finally {
            kickIfOwed();
        }
    }

    @Override
    public void await(boolean wantWrite, long timeoutNanos) throws IOException {
        if (workReady(wantWrite)) {
            return;
        }
        long start = System.nanoTime();
        int pending = channels.await(timeoutNanos, p -> counters.kicksReceived.increment());
        boolean timedOut = pending == 0 && System.nanoTime() - start >= timeoutNanos;
        if (timedOut && workReady(wantWrite)) {
            counters.timeoutsWithWork.increment();
        }
    }

    private boolean workReady(boolean wantWrite) throws IOException {
        try {
            checkServerError();
            return ring.available() > 0 || (wantWrite && ring.room() > 0);
        } catch (RingCorruptedException e) {
            throw withServerError(e);
        }
    }

    @Override
    public void wakeup() {
        channels.wakeup();
    }

    @Override
    public java.util.Map<String, Long> counters() {
        return counters.asMap();
    }

    @Override
    public boolean atMessageBoundary() {
        return outMessage == null && !unread.hasRemaining() && decoder.atBoundary();
    }

    @Override
    public void close() {
        channels.close();
        ring.page().close();
    }

    /**
     * The ring reconnection protocol, client side (xenstore-ring.txt): set {@code connection} to RECONNECT,
     * kick, ignore everything but {@code connection} until the server sets it back to CONNECTED. The server
     * then has dropped partial messages, both queues, our watches and transactions; so do we: a message
     * half written or half read is forgotten. Only for servers that advertise the feature.
     *
     * @return false if the server does not advertise reconnection (nothing was done)
     * @throws IOException if the server does not finish in time
     */
    @Override
    public boolean reconnect(long timeoutNanos) throws IOException {
        if ((ring.serverFeatures() & XenstoreRing.FEATURE_RECONNECTION) == 0) {
            return false;
        }
        ring.requestReconnect();
        channels.notify(port);
        counters.kicksSent.increment();
        awaitConnected(timeoutNanos);
        ring.forgetPeerIndices();
        outMessage = null;
        unread = ByteBuffer.allocate(0);
        decoder.reset();
        return true;
    }

    private void awaitConnected(long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (ring.connection() != XenstoreRing.CONNECTED) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException(info.uri() + ": the server did not complete the ring reconnection within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            }
            channels.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), p -> counters.kicksReceived.increment());
        }
    }

    private void checkServerError() throws RingCorruptedException {
        if ((ring.serverFeatures() & XenstoreRing.FEATURE_ERROR) != 0 && ring.error() != XenstoreRing.ERROR_NONE) {
            throw new RingCorruptedException(info.uri() + ": the server stopped serving this ring: error "
                    + errorName(ring.error()));
        }
    }

    private RingCorruptedException withServerError(RingCorruptedException e) {
        if ((ring.serverFeatures() & XenstoreRing.FEATURE_ERROR) != 0 && ring.error() != XenstoreRing.ERROR_NONE) {
            return new RingCorruptedException(e.getMessage() + "; the server reports error " + errorName(ring.error()));
        }
        return e;
    }

    static String errorName(int error) {
        switch (error) {
            case XenstoreRing.ERROR_COMM:
                return "XENSTORE_ERROR_COMM (event channel not working)";
            case XenstoreRing.ERROR_RINGIDX:
                return "XENSTORE_ERROR_RINGIDX (inconsistent ring index)";
            case XenstoreRing.ERROR_PROTO:
                return "XENSTORE_ERROR_PROTO (protocol violation)";
            default:
                return Integer.toUnsignedString(error);
        }
    }

    private void kickIfOwed() throws IOException {
        if (kickOwed) {
            kickOwed = false;
            channels.notify(port);
            counters.kicksSent.increment();
        }
    }
}
