package org.jxenbus.transport.xenbus.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

import org.jxenbus.transport.xendev.XenbusDevice;
import org.jxenbus.xenstore.spi.transport.IncomingMessages;
import org.jxenbus.xenstore.spi.transport.OutgoingMessages;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportInfo;
import org.jxenbus.xenstore.spi.wire.FrameDecoder;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * The kernel's xenbus device as a {@link Transport}. Ordinary requests go, one message per
 * {@code write()}, to one descriptor; WATCH and UNWATCH to a second one through {@link WatchWriter}'s thread,
 * because the kernel's WATCH write blocks until xenstored acknowledges it. Replies and events of both
 * descriptors are read by the core's I/O thread; events carry garbage request ids and are routed by type.
 * TRANSACTION_STARTs are serialized (the kernel's per-file bookkeeping cannot tell two pending ones apart):
 * a second one is held back, already taken from the core, until the first is answered.
 */
final class XenbusTransport implements Transport {

    private final XenbusDevice device;
    private final TransportInfo info;
    private final WatchWriter watchWriter;
    private final FrameDecoder[] decoders = {new FrameDecoder(), new FrameDecoder()};
    private final byte[] buffer = new byte[8192];
    private final Deque<XsMessage> heldStarts = new ArrayDeque<>();
    private boolean startOutstanding;
    private int outstandingStartId;

    XenbusTransport(XenbusDevice device, TransportInfo info) {
        this.device = device;
        this.info = info;
        this.watchWriter = new WatchWriter(device);
    }

    @Override
    public TransportInfo info() {
        return info;
    }

    @Override
    public boolean write(OutgoingMessages source) throws IOException {
        watchWriter.checkFailure();
        for (XsMessage m; (m = source.take()) != null;) {
            int type = m.type();
            if (type == XsMessageType.XS_WATCH.code() || type == XsMessageType.XS_UNWATCH.code()) {
                watchWriter.submit(m);
            } else if (type == XsMessageType.XS_TRANSACTION_START.code() && startOutstanding) {
                heldStarts.add(m);
            } else {
                send(m);
            }
        }
        return true;
    }

    private void send(XsMessage m) throws IOException {
        if (m.type() == XsMessageType.XS_TRANSACTION_START.code()) {
            startOutstanding = true;
            outstandingStartId = m.reqId();
        }
        device.writeMessage(XenbusDevice.REQUESTS, XsWire.encode(m));
    }

    @Override
    public void read(IncomingMessages sink) throws IOException, MalformedMessageException {
        watchWriter.checkFailure();
        for (int which : new int[] {XenbusDevice.REQUESTS, XenbusDevice.WATCHES}) {
            FrameDecoder decoder = decoders[which];
            decoder.feed(ByteBuffer.allocate(0), m -> deliver(m, sink));
            while (true) {
                int n = device.read(which, buffer);
                if (n == 0) {
                    break;
                }
                decoder.feed(ByteBuffer.wrap(buffer, 0, n), m -> deliver(m, sink));
            }
        }
        releaseHeldStart();
    }

    private void deliver(XsMessage m, IncomingMessages sink) {
        sink.deliver(m);
        if (startOutstanding && m.reqId() == outstandingStartId && m.type() != XsMessageType.XS_WATCH_EVENT.code()) {
            startOutstanding = false;
        }
    }

    /** Sends the next held TRANSACTION_START once the previous one was answered. */
    private void releaseHeldStart() throws IOException {
        if (!startOutstanding) {
            XsMessage next = heldStarts.poll();
            if (next != null) {
                send(next);
            }
        }
    }

    @Override
    public void await(boolean wantWrite, long timeoutNanos) throws IOException {
        device.await(timeoutNanos);
    }

    @Override
    public void wakeup() {
        device.wakeup();
    }

    @Override
    public boolean atMessageBoundary() {
        return decoders[0].atBoundary() && decoders[1].atBoundary() && heldStarts.isEmpty() && watchWriter.idle();
    }

    @Override
    public void close() {
        watchWriter.close();
        device.close();
    }
}
