package org.jxenbus.transport.ring.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

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
 *
 * <p><b>Closing from another thread.</b> Every touch of the page holds {@link #io}, and {@link #close()}
 * takes it too (after waking an await), so the page is never unmapped under the I/O thread; afterwards every
 * I/O method throws {@link ClosedChannelException} at once. Before letting go, the ring is left at a message
 * boundary both ways (for at most {@link #FINISH_ON_CLOSE_NANOS}), so that the next transport on the same
 * ring is served: see {@link #leaveAtMessageBoundaries()} and {@link #connect}.
 */
final class RingTransport implements Transport {

    private static final Logger LOG = System.getLogger(RingTransport.class.getName());
    /** How long {@link #close()} waits for the server to go on with a message half written or half read. */
    private static final long FINISH_ON_CLOSE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long FINISH_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * How long requests may sit unconsumed in the ring, with no kick sent meanwhile, before a wait that times
     * out kicks the server again: a kick can be lost (a FIFO full or read by someone else on the fake
     * hypervisor), and a server that missed it would otherwise not look at the ring until some other event.
     */
    static final long REKICK_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** How long after a wait timed out with work in the ring its kick may still come late rather than never. */
    static final long LATE_KICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

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
    private long lastKickNanos = System.nanoTime();
    /**
     * Set at connect while the responses found in the ring end in the middle of one: the rest of it is
     * skipped as it arrives, up to the server's next message boundary.
     */
    private FrameDecoder stale;
    /** Held by whoever touches the page or the fields above: the I/O thread, or {@link #close()}. */
    private final ReentrantLock io = new ReentrantLock();
    private volatile boolean closed;
    private boolean released;

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
     * an earlier connection can be matched to a reused id) and reports leftover requests. Stale responses
     * are skipped whole: one the server is still writing (a big reply, or one written while nobody read the
     * ring) is skipped to its end as it arrives, so its tail is never taken for a header. That relies on the
     * previous client leaving the ring at a message boundary, as {@link #close()} does.
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
        int skipped = t.skipStaleResponses();
        int pendingRequests = XenstoreRing.RING_SIZE - ring.room();
        if (skipped > 0 || pendingRequests > 0) {
            LOG.log(Level.INFO, info.uri() + ": connecting to a ring that was not idle: skipped " + skipped
                    + " bytes of stale responses" + (t.stale != null ? " (the last one still arriving)" : "") + "; "
                    + pendingRequests + " bytes of requests still unconsumed by the server");
        }
        t.kickIfOwed();
        return t;
    }

    /** Skips the responses in the ring now, whole messages as far as they have arrived; returns the bytes. */
    private int skipStaleResponses() throws IOException {
        FrameDecoder skipping = new FrameDecoder();
        int skipped = 0;
        try {
            for (int n; (n = ring.consume(chunk, 0, chunk.length)) > 0;) {
                kickOwed |= ring.kickWanted();
                skipped += n;
                skipping.feed(ByteBuffer.wrap(chunk, 0, n), m -> { });
            }
        } catch (MalformedMessageException e) {
            // Someone else left the ring in the middle of a message: skip what is there, as Linux does.
            skipped += ring.discardStale().staleResponseBytes();
            return skipped;
        }
        stale = skipping.atBoundary() ? null : skipping;
        return skipped;
    }

    /**
     * Skips, byte by byte, the rest of the message {@code skipping} is in, as far as it has arrived.
     *
     * @return whether its end was reached
     */
    private boolean skipToBoundary(FrameDecoder skipping) throws IOException, MalformedMessageException {
        while (!skipping.atBoundary()) {
            if (ring.consume(chunk, 0, 1) == 0) {
                return false;
            }
            kickOwed |= ring.kickWanted();
            skipping.feed(ByteBuffer.wrap(chunk, 0, 1), m -> { });
        }
        return true;
    }

    @Override
    public TransportInfo info() {
        return info;
    }

    @Override
    public boolean write(OutgoingMessages source) throws IOException {
        enter();
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
            try {
                kickIfOwed();
            } finally {
                io.unlock();
            }
        }
    }

    @Override
    public void read(IncomingMessages sink) throws IOException, MalformedMessageException {
        enter();
        try {
            if (stale != null) {
                if (!skipToBoundary(stale)) {
                    return;
                }
                stale = null;
            }
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
            try {
                kickIfOwed();
            } finally {
                io.unlock();
            }
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
        if (timedOut) {
            if (workReady(wantWrite) && !kickFollows()) {
                counters.timeoutsWithWork.increment();
            }
            kickAgainIfUnconsumed();
        }
    }

    /**
     * The wait timed out, yet the ring has work: the server may have updated the ring and not yet sent its kick
     * (descheduled between the two on a busy host). Whether that kick comes within {@link #LATE_KICK_NANOS}: if
     * not, it was lost.
     */
    private boolean kickFollows() throws IOException {
        return channels.await(LATE_KICK_NANOS, p -> counters.kicksReceived.increment()) > 0;
    }

    /**
     * After a wait that timed out: if requests have been in the ring unconsumed since the last kick for
     * {@link #REKICK_AFTER_NANOS}, that kick may have been lost: kick again (counted, at most 5 a second).
     */
    private void kickAgainIfUnconsumed() throws IOException {
        enter();
        try {
            if (System.nanoTime() - lastKickNanos >= REKICK_AFTER_NANOS && ring.room() < XenstoreRing.RING_SIZE) {
                sendKick();
                counters.kicksRepeated.increment();
            }
        } catch (RingCorruptedException e) {
            throw withServerError(e);
        } finally {
            io.unlock();
        }
    }

    /** Whether the ring has something to read, or room when {@code wantWrite}; holds {@link #io} meanwhile. */
    private boolean workReady(boolean wantWrite) throws IOException {
        enter();
        try {
            checkServerError(); // names the server's error itself
            try {
                return ring.available() > 0 || (wantWrite && ring.room() > 0);
            } catch (RingCorruptedException e) {
                throw withServerError(e);
            }
        } finally {
            io.unlock();
        }
    }

    /** Takes {@link #io}; throws, without it, once the transport is closed. */
    private void enter() throws ClosedChannelException {
        io.lock();
        if (closed) {
            io.unlock();
            throw new ClosedChannelException();
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

    /**
     * {@inheritDoc} From any thread: wakes an await in progress, waits for the I/O thread to leave the page,
     * leaves both directions at a message boundary (bounded), then releases the event channel and the page.
     */
    @Override
    public void close() {
        closed = true;
        channels.wakeup();
        io.lock();
        try {
            if (released) {
                return;
            }
            released = true;
            leaveAtMessageBoundaries();
            channels.close();
            ring.page().close();
        } finally {
            io.unlock();
        }
    }

    /**
     * The server reads the ring as one stream, and so does the next client of this ring: writes the rest of a
     * request of which the server may have read a part (else it would take the next client's first request as
     * the rest of this one, and stop serving the ring on the garbage that follows), and skips the rest of a
     * response half read (else the next client would take its tail for a header). Waits for the server by
     * polling, at most {@link #FINISH_ON_CLOSE_NANOS}: the I/O thread may still be in the event channel's
     * await, which admits one waiter. Holds {@link #io}.
     */
    private void leaveAtMessageBoundaries() {
        long deadline = System.nanoTime() + FINISH_ON_CLOSE_NANOS;
        try {
            decoder.feed(unread, m -> { });
            // Not ||: both directions go on each turn.
            while (!finishRequest() | !skipToBoundary(stale != null ? stale : decoder)) {
                kickIfOwed();
                if (System.nanoTime() - deadline >= 0) {
                    LOG.log(Level.WARNING, info.uri() + ": closed in the middle of a message: the server did not"
                            + " go on within " + TimeUnit.NANOSECONDS.toMillis(FINISH_ON_CLOSE_NANOS) + " ms");
                    return;
                }
                LockSupport.parkNanos(FINISH_POLL_NANOS);
            }
            kickIfOwed();
        } catch (IOException | MalformedMessageException e) {
            LOG.log(Level.WARNING, info.uri() + ": closed in the middle of a message: " + e.getMessage());
        } finally {
            outMessage = null;
            unread = ByteBuffer.allocate(0);
        }
    }

    /** Writes what the ring takes of a request begun; whether none is left half written. */
    private boolean finishRequest() throws IOException {
        if (outMessage == null || outOffset == 0) {
            return true;
        }
        outOffset += ring.produce(outMessage, outOffset, outMessage.length - outOffset);
        kickOwed |= ring.kickWanted();
        return outOffset == outMessage.length;
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
        enter();
        try {
            if ((ring.serverFeatures() & XenstoreRing.FEATURE_RECONNECTION) == 0) {
                return false;
            }
            ring.requestReconnect();
            sendKick();
            awaitConnected(timeoutNanos);
            ring.forgetPeerIndices();
            outMessage = null;
            unread = ByteBuffer.allocate(0);
            decoder.reset();
            stale = null;
            return true;
        } finally {
            io.unlock();
        }
    }

    private void awaitConnected(long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (ring.connection() != XenstoreRing.CONNECTED) {
            if (closed) {
                throw new ClosedChannelException();
            }
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
            sendKick();
        }
    }

    private void sendKick() throws IOException {
        channels.notify(port);
        counters.kicksSent.increment();
        lastKickNanos = System.nanoTime();
    }
}
