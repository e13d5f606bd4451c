package org.jxenbus.xenstore.spi.wire;

import java.nio.ByteBuffer;

/**
 * Cuts a byte stream into whole messages, resuming at any byte boundary: a message may arrive in many
 * pieces (a 4112-byte message crosses a 1 KiB ring several times) and one read may hold many messages.
 *
 * <p>Not thread-safe: it belongs to the one thread that reads a connection.
 */
public final class FrameDecoder {

    /** Receives each whole message. */
    @FunctionalInterface
    public interface MessageSink {
        /** Takes one decoded message. */
        void accept(XsMessage message);
    }

    private final ByteBuffer header = ByteBuffer.allocate(XsWire.HEADER_SIZE).order(XsWire.BYTE_ORDER);
    private byte[] payload;
    private int payloadFilled;

    /**
     * Consumes everything remaining in {@code in} and hands each completed message to {@code sink}.
     *
     * @throws MalformedMessageException if a header announces an oversize payload; the decoder is then
     *         positioned after that header, and {@link #reset()} must be called before feeding more
     */
    public void feed(ByteBuffer in, MessageSink sink) throws MalformedMessageException {
        while (true) {
            if (payload == null) {
                if (!in.hasRemaining()) {
                    return;
                }
                transfer(in, header);
                if (header.hasRemaining()) {
                    return;
                }
                header.flip();
                payload = new byte[XsWire.payloadLength(header)];
                payloadFilled = 0;
            }
            int n = Math.min(in.remaining(), payload.length - payloadFilled);
            in.get(payload, payloadFilled, n);
            payloadFilled += n;
            if (payloadFilled < payload.length) {
                return;
            }
            XsMessage m = new XsMessage(header.getInt(0), header.getInt(4), header.getInt(8), payload);
            header.clear();
            payload = null;
            sink.accept(m);
        }
    }

    /** True when no partial message is held: the stream is at a message boundary. */
    public boolean atBoundary() {
        return payload == null && header.position() == 0;
    }

    /** Forgets any partial message (after a reconnection, or a malformed header). */
    public void reset() {
        header.clear();
        payload = null;
        payloadFilled = 0;
    }

    private static void transfer(ByteBuffer from, ByteBuffer to) {
        int n = Math.min(from.remaining(), to.remaining());
        ByteBuffer slice = from.slice(from.position(), n);
        to.put(slice);
        from.position(from.position() + n);
    }
}
