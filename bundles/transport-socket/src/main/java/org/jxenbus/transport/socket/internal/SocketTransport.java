package org.jxenbus.transport.socket.internal;

import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.spi.transport.IncomingMessages;
import org.jxenbus.xenstore.spi.transport.OutgoingMessages;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportInfo;
import org.jxenbus.xenstore.spi.wire.FrameDecoder;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * xenstored's unix socket, non-blocking under one selector. Writes batch as many whole messages as fit
 * in one buffer into one system call; reads decode every whole message a read brings.
 *
 * <p>{@link #close()} may come from any thread, also while the I/O thread is in {@link #await}: the select
 * returns, and from then on every I/O method throws {@link ClosedChannelException} (the selector's own
 * unchecked {@link ClosedSelectorException} never reaches the caller).
 */
final class SocketTransport implements Transport {

    /** Room for many messages per system call; always at least one whole message. */
    private static final int BUFFER_SIZE = 64 * 1024;
    /** Reads per {@link #read} call before yielding to writes. */
    private static final int READS_PER_TURN = 8;

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final TransportInfo info;
    private final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER_SIZE);
    private final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER_SIZE);
    private final FrameDecoder decoder = new FrameDecoder();
    private volatile boolean closed;

    private SocketTransport(SocketChannel channel, Selector selector, TransportInfo info) throws IOException {
        this.channel = channel;
        this.selector = selector;
        this.info = info;
        channel.configureBlocking(false);
        this.key = channel.register(selector, SelectionKey.OP_READ);
    }

    static SocketTransport connect(Path socket, TransportInfo info) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        Selector sel = null;
        try {
            sel = Selector.open();
            return new SocketTransport(ch, sel, info);
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (sel != null) {
                sel.close();
            }
            throw e;
        }
    }

    @Override
    public TransportInfo info() {
        return info;
    }

    @Override
    public boolean write(OutgoingMessages source) throws IOException {
        ensureOpen();
        while (true) {
            while (out.remaining() >= XsWire.MESSAGE_MAX) {
                var m = source.take();
                if (m == null) {
                    break;
                }
                XsWire.encode(m, out);
            }
            if (out.position() == 0) {
                return true;
            }
            out.flip();
            int n = channel.write(out);
            out.compact();
            if (n == 0) {
                return false;
            }
        }
    }

    @Override
    public void read(IncomingMessages sink) throws IOException, MalformedMessageException {
        ensureOpen();
        for (int i = 0; i < READS_PER_TURN; i++) {
            int room = in.remaining();
            int n = channel.read(in);
            in.flip();
            try {
                // Fed even when nothing new arrived: a message kept after a failed hand-over goes first.
                decoder.feed(in, sink::deliver);
            } finally {
                in.compact();
            }
            if (n < 0) {
                throw new EOFException("xenstored closed the socket " + info.uri());
            }
            if (n == 0 || n < room) {
                return; // the socket had no more: another read would only fail (EAGAIN); select reports the rest
            }
        }
    }

    @Override
    public void await(boolean wantWrite, long timeoutNanos) throws IOException {
        ensureOpen();
        try {
            key.interestOps(wantWrite ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException | CancelledKeyException e) {
            // close() ran on another thread meanwhile.
            throw (IOException) new AsynchronousCloseException().initCause(e);
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public boolean atMessageBoundary() {
        return out.position() == 0 && decoder.atBoundary();
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing useful to do with a failure
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing: nothing useful to do with a failure
        }
    }
}
