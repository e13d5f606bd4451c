package org.jxenbus.testsupport;

import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

import org.jxenbus.xenstore.spi.wire.FrameDecoder;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * A deliberately simple blocking client for the harness's own needs (readiness checks, INTRODUCE, side
 * changes arranged by the proxy): one request at a time, watch events kept aside. Independent of the
 * library under test except for the wire codec. Not thread-safe.
 */
public final class RawXsClient implements AutoCloseable {

    private final SocketChannel channel;
    private final FrameDecoder decoder = new FrameDecoder();
    private final Deque<XsMessage> received = new ArrayDeque<>();
    private final ByteBuffer in = ByteBuffer.allocate(8192);
    private int nextReqId = 0x7000_0000;

    public RawXsClient(Path socket) throws IOException {
        this.channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    }

    /** Sends one request and returns its reply (ERROR replies included), skipping watch events. */
    public XsMessage request(XsMessageType type, int txId, byte[] payload) throws IOException {
        int id = nextReqId++;
        channel.write(ByteBuffer.wrap(XsWire.encode(new XsMessage(type.code(), id, txId, payload))));
        while (true) {
            XsMessage m = next();
            if (m.type() != XsMessageType.XS_WATCH_EVENT.code() && m.reqId() == id) {
                return m;
            }
        }
    }

    /** Sends one request and returns its reply's payload as text, failing on an error reply. */
    public String call(XsMessageType type, String... parts) throws IOException {
        XsMessage m = request(type, 0, Payloads.strings(parts));
        String text = new String(m.payload(), java.nio.charset.StandardCharsets.UTF_8);
        if (m.type() == XsMessageType.XS_ERROR.code()) {
            throw new IOException(type + " " + String.join(" ", parts) + " failed: " + text.replace("\0", ""));
        }
        return text;
    }

    /** Writes a value (WRITE path value). */
    public void write(String path, String value) throws IOException {
        XsMessage m = request(XsMessageType.XS_WRITE, 0, Payloads.pathAndValue(path,
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (m.type() == XsMessageType.XS_ERROR.code()) {
            throw new IOException("WRITE " + path + " failed: " + new String(m.payload()).replace("\0", ""));
        }
    }

    private XsMessage next() throws IOException {
        while (received.isEmpty()) {
            in.clear();
            if (channel.read(in) < 0) {
                throw new EOFException("xenstored closed the socket");
            }
            in.flip();
            try {
                decoder.feed(in, received::add);
            } catch (MalformedMessageException e) {
                throw new IOException(e);
            }
        }
        return received.poll();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
