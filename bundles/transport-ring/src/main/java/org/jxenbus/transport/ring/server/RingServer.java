package org.jxenbus.transport.ring.server;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jxenbus.xenstore.spi.ring.EventChannels;
import org.jxenbus.xenstore.spi.ring.RingCorruptedException;
import org.jxenbus.xenstore.spi.ring.SharedPage;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * Serves xenstore rings from one I/O thread ({@code xenstore-ring-server-N}), as xenstored does: every
 * domain's kicks arrive on the one event-channel device, and each wake-up looks at every ring (the protocol
 * is level-based). Advertises ring reconnection and the error field: on {@code connection == RECONNECT} it
 * forgets the ring's state (the handler's too), resets the indices and tells the client; on corrupt indices
 * or an oversize message it sets {@code error} and stops serving that ring.
 *
 * <p>Thread-safe: {@link #serve}, {@link #stopServing} and {@link #close} from any thread.
 */
public final class RingServer implements AutoCloseable {

    private static final Logger LOG = System.getLogger(RingServer.class.getName());
    private static final AtomicLong THREADS = new AtomicLong();
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** What this server advertises in {@code server_features}. */
    public static final int FEATURES = XenstoreRing.FEATURE_RECONNECTION | XenstoreRing.FEATURE_ERROR;

    private final DomainRings host;
    private final EventChannels channels;
    private final RingRequestHandler handler;
    private final boolean suppressKicks;
    private final Map<Integer, ServedRing> byPort = new ConcurrentHashMap<>();
    private final java.util.Queue<ServedRing> retired = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean awaiting;

    /**
     * Starts the server thread (it sleeps until a ring is served).
     *
     * @param suppressKicks the seed's kick suppression (true) or a kick after every transfer (xenstored's way)
     */
    public RingServer(DomainRings host, RingRequestHandler handler, boolean suppressKicks) {
        this.host = host;
        this.channels = host.eventChannels();
        this.handler = handler;
        this.suppressKicks = suppressKicks;
        this.thread = new Thread(this::run, "xenstore-ring-server-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts serving domain {@code domid}'s ring, whose client notifies on {@code remotePort} (as INTRODUCE
     * gives it). Advertises {@link #FEATURES} before touching the indices.
     *
     * @throws IOException if the page cannot be mapped or the port bound
     */
    public ServedRing serve(int domid, int remotePort) throws IOException {
        return serve(domid, host.mapRing(domid), remotePort);
    }

    /**
     * Starts serving a ring a client offered: grant {@code gref} of domain {@code domid}, kicked on
     * {@code remotePort} (what {@code ring:gntalloc?server=D} reports).
     */
    public ServedRing serveGrant(int domid, int gref, int remotePort) throws IOException {
        return serve(domid, host.mapGrant(domid, gref), remotePort);
    }

    private ServedRing serve(int domid, SharedPage page, int remotePort) throws IOException {
        int port;
        try {
            port = channels.bindInterdomain(domid, remotePort);
        } catch (IOException e) {
            page.close();
            throw e;
        }
        XenstoreRing ring = new XenstoreRing(page, XenstoreRing.End.SERVER);
        ring.suppressKicks(suppressKicks);
        ring.advertise(FEATURES);
        ServedRing served = new ServedRing(domid, port, ring, this);
        byPort.put(port, served);
        channels.wakeup();
        return served;
    }

    /** Stops serving a ring and unmaps its page (on the server thread); its client is not told. */
    public void stopServing(ServedRing ring) {
        if (byPort.remove(ring.port(), ring)) {
            ring.failed = true;
            retired.add(ring);
            channels.wakeup();
        }
    }

    /** Rings served now. */
    public java.util.Collection<ServedRing> rings() {
        return java.util.List.copyOf(byPort.values());
    }

    void replyQueued(ServedRing ring) {
        if (awaiting && Thread.currentThread() != thread) {
            channels.wakeup();
        }
    }

    private void run() {
        while (!closing) {
            try {
                for (ServedRing r; (r = retired.poll()) != null;) {
                    channels.unbind(r.port());
                    r.ring().page().close();
                }
                boolean busy = false;
                for (ServedRing r : byPort.values()) {
                    busy |= serveOnce(r);
                }
                awaiting = true;
                if (!closing && !busy && !anyWork()) {
                    channels.await(IDLE_WAIT_NANOS, port -> { });
                }
                awaiting = false;
            } catch (IOException e) {
                if (!closing) {
                    LOG.log(Level.ERROR, "ring server on " + host.describe() + ": event channels failed; stopping", e);
                }
                return;
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "ring server on " + host.describe() + ": unexpected failure; going on", e);
            }
        }
    }

    /** One pass over a ring; true if it moved anything. */
    private boolean serveOnce(ServedRing r) throws IOException {
        if (r.failed) {
            return false;
        }
        XenstoreRing ring = r.ring();
        try {
            if (ring.connection() == XenstoreRing.RECONNECT) {
                reset(r);
                return true;
            }
            boolean kick = false;
            boolean moved = false;
            while (true) {
                if (!r.unread.hasRemaining()) {
                    int n = ring.consume(r.chunk, 0, r.chunk.length);
                    kick |= ring.kickWanted();
                    r.unread = ByteBuffer.wrap(r.chunk, 0, n);
                }
                if (!r.unread.hasRemaining()) {
                    break;
                }
                moved = true;
                r.decoder.feed(r.unread, m -> {
                    r.requests.increment();
                    handler.request(r, m);
                });
            }
            while (true) {
                if (r.outMessage == null) {
                    XsMessage m = r.replies.poll();
                    if (m == null) {
                        break;
                    }
                    r.outMessage = XsWire.encode(m);
                    r.outOffset = 0;
                }
                int n = ring.produce(r.outMessage, r.outOffset, r.outMessage.length - r.outOffset);
                kick |= ring.kickWanted();
                r.outOffset += n;
                moved |= n > 0;
                if (r.outOffset == r.outMessage.length) {
                    r.outMessage = null;
                } else if (n == 0) {
                    break;
                }
            }
            if (kick) {
                channels.notify(r.port());
                r.kicksSent.increment();
            }
            return moved;
        } catch (RingCorruptedException e) {
            fail(r, XenstoreRing.ERROR_RINGIDX, e.getMessage());
        } catch (MalformedMessageException e) {
            fail(r, XenstoreRing.ERROR_PROTO, e.getMessage());
        }
        return false;
    }

    private boolean anyWork() {
        for (ServedRing r : byPort.values()) {
            if (r.failed) {
                continue;
            }
            XenstoreRing ring = r.ring();
            try {
                if (ring.connection() == XenstoreRing.RECONNECT || ring.available() > 0
                        || ((r.outMessage != null || !r.replies.isEmpty()) && ring.room() > 0)) {
                    return true;
                }
            } catch (RingCorruptedException e) {
                return true;
            }
        }
        return false;
    }

    private void reset(ServedRing r) throws IOException {
        handler.reset(r);
        r.forget();
        r.ring().completeReconnect();
        channels.notify(r.port());
        r.kicksSent.increment();
    }

    private void fail(ServedRing r, int error, String why) {
        LOG.log(Level.WARNING, "stopped serving " + r + ": " + why);
        r.ring().setError(error);
        r.failed = true;
        try {
            channels.notify(r.port());
        } catch (IOException ignored) {
            // the client finds the error field when it next looks
        }
        handler.failed(r, why);
    }

    /** Stops the thread, unbinds every ring and releases the host's event channels. */
    @Override
    public void close() {
        closing = true;
        channels.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ServedRing r : byPort.values()) {
            r.failed = true;
            r.ring().page().close();
        }
        byPort.clear();
        host.close();
    }
}
