package org.jxenbus.transport.xenbus.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.jxenbus.transport.xendev.XenbusDevice;
import org.jxenbus.xenstore.spi.transport.IncomingMessages;
import org.jxenbus.xenstore.spi.transport.OutgoingMessages;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportInfo;
import org.jxenbus.xenstore.spi.wire.FrameDecoder;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * The kernel's xenbus device as a {@link Transport}. WATCH and UNWATCH go to the watch descriptor through
 * {@link WatchWriter}'s thread, because the kernel's WATCH write blocks until xenstored acknowledges it.
 * Everything else goes, one message per {@code write()}, to the request descriptors as {@link RequestLanes}
 * places it: one request in flight per descriptor, a transaction's requests on the descriptor that started
 * it. Replies and events of every descriptor are read by the core's I/O thread; events carry garbage request
 * ids and are routed by type.
 *
 * <p>Requests in flight at the same time may be applied in any order (they travel on different
 * descriptors); a request issued after another was answered is applied after it.
 */
final class XenbusTransport implements Transport {

    private final XenbusDevice device;
    private final TransportInfo info;
    private final WatchWriter watchWriter;
    private final RequestLanes lanes;
    private final FrameDecoder[] decoders;
    private final ByteBuffer[] leftovers;
    private final byte[] buffer = new byte[8192];
    private final AtomicLong heldRequests = new AtomicLong();
    private final AtomicLong endedAtClose = new AtomicLong();
    /** Held by the I/O thread's calls and by {@link #close()}, which must not share the lanes or decoders. */
    private final ReentrantLock io = new ReentrantLock();
    private int readable;
    private volatile boolean closed;
    /** How long {@link #close()} spends ending open transactions at most. */
    static final long CLOSE_MILLIS = 2000;

    XenbusTransport(XenbusDevice device, TransportInfo info) {
        this.device = device;
        this.info = info;
        this.watchWriter = new WatchWriter(device);
        this.lanes = new RequestLanes(device.requestDescriptors());
        this.decoders = new FrameDecoder[1 + device.requestDescriptors()];
        this.leftovers = new ByteBuffer[decoders.length];
        for (int i = 0; i < decoders.length; i++) {
            decoders[i] = new FrameDecoder();
        }
        this.readable = ~0;
    }

    @Override
    public TransportInfo info() {
        return info;
    }

    @Override
    public boolean write(OutgoingMessages source) throws IOException {
        ensureOpen();
        io.lock();
        try {
            ensureOpen();
            writeLocked(source);
        } finally {
            io.unlock();
        }
        return true;
    }

    private void writeLocked(OutgoingMessages source) throws IOException {
        watchWriter.checkFailure();
        for (XsMessage m; (m = source.take()) != null;) {
            int type = m.type();
            if (type == XsMessageType.XS_WATCH.code() || type == XsMessageType.XS_UNWATCH.code()) {
                watchWriter.submit(m);
            } else {
                List<RequestLanes.Placement> now = lanes.submit(m);
                if (now.isEmpty()) {
                    heldRequests.incrementAndGet();
                }
                send(now);
            }
        }
    }

    private void send(List<RequestLanes.Placement> placements) throws IOException {
        for (RequestLanes.Placement p : placements) {
            device.writeMessage(XenbusDevice.request(p.lane()), XsWire.encode(p.message()));
        }
    }

    @Override
    public void read(IncomingMessages sink) throws IOException, MalformedMessageException {
        ensureOpen();
        io.lock();
        try {
            ensureOpen();
            readLocked(sink);
        } finally {
            io.unlock();
        }
    }

    private void readLocked(IncomingMessages sink) throws IOException, MalformedMessageException {
        watchWriter.checkFailure();
        int mask = readable;
        readable = 0;
        for (int which = 0; which < decoders.length; which++) {
            feed(which, leftovers[which], sink);
            leftovers[which] = null;
            if ((mask & (1 << which)) == 0) {
                continue;
            }
            for (int n; (n = device.read(which, buffer)) > 0;) {
                feed(which, ByteBuffer.wrap(buffer, 0, n), sink);
            }
        }
    }

    /**
     * Decodes {@code in} from descriptor {@code which}. If handing a message over fails, the decoder keeps
     * that message and the undecoded rest of {@code in} is kept here: both are offered again first next time.
     */
    private void feed(int which, ByteBuffer in, IncomingMessages sink) throws IOException, MalformedMessageException {
        int lane = which - 1;
        IOException[] failed = new IOException[1];
        try {
            decoders[which].feed(in == null ? ByteBuffer.allocate(0) : in, m -> {
                sink.deliver(m);
                if (lane >= 0 && m.type() != XsMessageType.XS_WATCH_EVENT.code()) {
                    try {
                        send(lanes.answered(lane, m));
                    } catch (IOException e) {
                        failed[0] = e;
                    }
                }
            });
        } catch (RuntimeException | Error e) {
            if (in != null && in.hasRemaining()) {
                leftovers[which] = ByteBuffer.wrap(Arrays.copyOfRange(in.array(),
                        in.arrayOffset() + in.position(), in.arrayOffset() + in.limit()));
            }
            throw e;
        }
        if (failed[0] != null) {
            throw failed[0];
        }
    }

    @Override
    public void await(boolean wantWrite, long timeoutNanos) throws IOException {
        ensureOpen();
        io.lock();
        try {
            ensureOpen();
            readable = device.await(timeoutNanos);
        } finally {
            io.unlock();
        }
    }

    /** After {@link #close()} (from any thread) the device refuses too, but a WATCH would only be queued. */
    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public void wakeup() {
        device.wakeup();
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("requestDescriptors", (long) device.requestDescriptors(), "requestsHeldForADescriptor",
                heldRequests.get(), "transactionsEndedAtClose", endedAtClose.get());
    }

    @Override
    public boolean atMessageBoundary() {
        for (FrameDecoder d : decoders) {
            if (!d.atBoundary()) {
                return false;
            }
        }
        return lanes.heldCount() == 0 && watchWriter.idle();
    }

    /**
     * Ends the transactions still open on the device, then closes it. Linux's own clean-up on release ends them
     * through its in-kernel path, which takes one count too many off the counter its suspend waits on (in 6.1's
     * {@code xs_request_exit}, a non-user TRANSACTION_END drops the extra count only kernel transactions hold);
     * the counter wraps and the guest can never suspend again ({@code xl save}, migration) until it reboots.
     * So each open transaction is ended here, as a user request on the descriptor that started it, after that
     * descriptor's request in flight (if any) is answered, and after every TRANSACTION_START in flight is (its
     * reply opens one); all within {@value #CLOSE_MILLIS} ms, then the device is closed whatever was achieved.
     * Called from any thread: the I/O thread is woken and kept out meanwhile.
     */
    @Override
    public void close() {
        closed = true;
        device.wakeup();
        io.lock();
        try {
            new ClosingTransactions().end();
        } finally {
            io.unlock();
            watchWriter.close();
            device.close();
        }
    }

    /** The transactions open at close, ended one by one (see {@link #close()}). */
    private final class ClosingTransactions {

        private final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_MILLIS);

        void end() {
            lanes.dropHeld();
            try {
                // A start in flight opens a transaction with its reply; the kernel would end that one too.
                for (int lane = 0; lane < lanes.count(); lane++) {
                    if (lanes.starting(lane) && !awaitFree(lane)) {
                        return;
                    }
                }
                for (Map.Entry<Integer, Integer> tx : lanes.openTransactions().entrySet()) {
                    int lane = tx.getValue();
                    if (!awaitFree(lane)) {
                        break;
                    }
                    if (!lanes.open(tx.getKey())) {
                        continue; // its END was the request in flight
                    }
                    XsMessage abort = new XsMessage(XsMessageType.XS_TRANSACTION_END.code(), 0, tx.getKey(),
                            Payloads.strings("F"));
                    device.writeMessage(XenbusDevice.request(lane), XsWire.encode(abort));
                    lanes.sent(lane, abort);
                    if (!awaitFree(lane)) {
                        break;
                    }
                    endedAtClose.incrementAndGet();
                }
            } catch (IOException | MalformedMessageException | RuntimeException e) {
                // the device is closed next whatever happened: the kernel's clean-up ends what is left
            }
        }

        /** Reads {@code lane}'s replies (discarding them) until it has none in flight; false at the deadline. */
        private boolean awaitFree(int lane) throws IOException, MalformedMessageException {
            int which = XenbusDevice.request(lane);
            while (lanes.busy(lane)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                int ready = device.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
                if (ready != 0 && (ready & (1 << which)) == 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // only other descriptors: no spin
                }
                for (int n; (n = device.read(which, buffer)) > 0;) {
                    decoders[which].feed(ByteBuffer.wrap(buffer, 0, n), m -> {
                        if (m.type() != XsMessageType.XS_WATCH_EVENT.code()) {
                            lanes.answered(lane, m);
                        }
                    });
                }
            }
            return true;
        }
    }
}
