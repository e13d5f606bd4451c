package org.jxenbus.transport.ring.internal;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jxenbus.transport.ring.server.RingRequestHandler;
import org.jxenbus.transport.ring.server.ServedRing;
import org.jxenbus.xenstore.spi.wire.FrameDecoder;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * The minimal server the ring issue allows until the simulator exists: every served ring gets its own
 * connection to the real xenstored's socket, requests go there unchanged and its replies and watch events
 * come back. A ring reset replaces that connection, so xenstored forgets the ring's watches and
 * transactions, as a server must on reconnection.
 */
final class XenstoredRelay implements RingRequestHandler, AutoCloseable {

    private final Path socket;
    private final Map<ServedRing, Upstream> upstreams = new ConcurrentHashMap<>();

    XenstoredRelay(Path socket) {
        this.socket = socket;
    }

    @Override
    public void request(ServedRing ring, XsMessage request) {
        try {
            upstreams.computeIfAbsent(ring, this::connect).send(request);
        } catch (IOException e) {
            throw new IllegalStateException("relay to xenstored failed", e);
        }
    }

    @Override
    public void reset(ServedRing ring) {
        Upstream old = upstreams.remove(ring);
        if (old != null) {
            old.close();
        }
    }

    @Override
    public void close() {
        upstreams.values().forEach(Upstream::close);
        upstreams.clear();
    }

    private Upstream connect(ServedRing ring) {
        try {
            return new Upstream(SocketChannel.open(UnixDomainSocketAddress.of(socket)), ring);
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach xenstored at " + socket, e);
        }
    }

    /** One xenstored connection and the thread copying its messages back to the ring. */
    private static final class Upstream {
        private final SocketChannel channel;
        private final Thread reader;

        Upstream(SocketChannel channel, ServedRing ring) {
            this.channel = channel;
            this.reader = new Thread(() -> copyBack(ring), "relay-" + ring.domid());
            reader.setDaemon(true);
            reader.start();
        }

        synchronized void send(XsMessage m) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(XsWire.encode(m));
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        private void copyBack(ServedRing ring) {
            FrameDecoder decoder = new FrameDecoder();
            ByteBuffer in = ByteBuffer.allocate(65536);
            try {
                while (channel.read(in) >= 0) {
                    in.flip();
                    decoder.feed(in, ring::reply);
                    in.compact();
                }
            } catch (IOException | MalformedMessageException e) {
                // closed by a reset or at the end of the test
            }
        }

        void close() {
            try {
                channel.close();
                reader.join(2000);
            } catch (IOException e) {
                // already closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
