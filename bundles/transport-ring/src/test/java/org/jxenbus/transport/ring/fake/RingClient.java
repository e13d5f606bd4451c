package org.jxenbus.transport.ring.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.spi.ring.SharedPage;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.jxenbus.xenstore.spi.wire.FrameDecoder;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsErrors;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * The smallest ring client that exercises a {@link FakeEventChannels} in the guest role: one request at a
 * time, produced and consumed in a loop through the 1 KiB rings, kicking when {@link XenstoreRing} asks and
 * waiting in {@link FakeEventChannels#await} otherwise. The await timeout is long ({@link #AWAIT}), and
 * every await that ends by timeout is counted: a lost kick shows up there, never as a slow pass.
 */
final class RingClient implements AutoCloseable {

    static final long AWAIT = TimeUnit.SECONDS.toNanos(2);

    final FakeEventChannels channels;
    final XenstoreRing ring;
    final int port;
    private final FrameDecoder decoder = new FrameDecoder();
    private final byte[] chunk = new byte[XenstoreRing.RING_SIZE];
    private int nextReqId = 1;
    int timeouts;

    /** Opens domain {@code domid}'s device (before anything is in the ring), binds a port and maps the ring. */
    static RingClient open(FakeHost host, int domid, int remotePort) throws IOException {
        FakeEventChannels channels = FakeEventChannels.guest(host, domid);
        return new RingClient(host, domid, channels, channels.bindInterdomain(0, remotePort));
    }

    /** A client on a fresh mapping of domain {@code domid}'s ring, kicking and waiting through {@code channels}. */
    RingClient(FakeHost host, int domid, FakeEventChannels channels, int port) throws IOException {
        this.channels = channels;
        this.port = port;
        SharedPage page = host.mapRing(domid);
        ring = new XenstoreRing(page, XenstoreRing.End.CLIENT);
        ring.discardStale();
    }

    /** Sends one request and returns its reply. */
    XsMessage call(XsMessageType type, byte[] payload) throws IOException, MalformedMessageException {
        int reqId = nextReqId++;
        byte[] out = XsWire.encode(new XsMessage(type.code(), reqId, 0, payload));
        int sent = 0;
        Deque<XsMessage> replies = new ArrayDeque<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (replies.isEmpty()) {
            boolean progress = false;
            if (sent < out.length) {
                int n = ring.produce(out, sent, out.length - sent);
                kickIfWanted();
                sent += n;
                progress |= n > 0;
            }
            int n = ring.consume(chunk, 0, chunk.length);
            kickIfWanted();
            if (n > 0) {
                progress = true;
                decoder.feed(ByteBuffer.wrap(chunk, 0, n), replies::add);
            }
            if (!progress && replies.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    fail("no reply to " + type + " within 10 s; " + channels.counters());
                }
                long start = System.nanoTime();
                if (channels.await(AWAIT, p -> assertEquals(port, p)) == 0 && System.nanoTime() - start >= AWAIT) {
                    timeouts++;
                }
            }
        }
        XsMessage reply = replies.remove();
        assertEquals(reqId, reply.reqId(), "reply's request id");
        return reply;
    }

    /** The reply's payload as the one string it carries; fails on an error reply. */
    String callForString(XsMessageType type, String... args) throws IOException, MalformedMessageException {
        XsMessage reply = call(type, Payloads.strings(args));
        if (reply.type() == XsMessageType.XS_ERROR.code()) {
            fail(type + " failed: " + XsErrors.parse(reply.payload()));
        }
        assertEquals(type.code(), reply.type());
        return Payloads.singleString(reply.payload());
    }

    /** Writes {@code value} at {@code path}; fails unless the reply is OK. */
    void write(String path, String value) throws IOException, MalformedMessageException {
        write(path, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code value} at {@code path}; fails unless the reply is OK. */
    void write(String path, byte[] value) throws IOException, MalformedMessageException {
        XsMessage reply = call(XsMessageType.XS_WRITE, Payloads.pathAndValue(path, value));
        if (reply.type() == XsMessageType.XS_ERROR.code()) {
            fail("WRITE " + path + " failed: " + XsErrors.parse(reply.payload()));
        }
        assertEquals(XsMessageType.XS_WRITE.code(), reply.type());
        assertEquals("OK", Payloads.singleString(reply.payload()));
    }

    private void kickIfWanted() throws IOException {
        if (ring.kickWanted()) {
            channels.notify(port);
        }
    }

    @Override
    public void close() {
        channels.close();
        ring.page().close();
    }
}
