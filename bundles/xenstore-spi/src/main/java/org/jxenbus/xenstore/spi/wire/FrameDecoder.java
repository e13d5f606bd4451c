package org.jxenbus.xenstore.spi.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts a byte stream into whole messages, resuming at any byte boundary: a message may arrive in many
 * pieces (a 4112-byte message crosses a 1 KiB ring several times) and one read may hold many messages.
 *
 * <p>Its buffers are allocated once and reused. If anything fails while a message is being handed over (the
 * allocation of the message, or the sink itself throwing), the decoder keeps the whole message and hands
 * it over again at the next {@link #feed} before consuming more input, so a failure never loses stream
 * synchronisation: the seed's "an out of memory situation ... no longer will lead to a possible loss of
 * synchronization". A sink must therefore change nothing before the point where it may throw.
 *
 * <p>Not thread-safe: it belongs to the one thread that reads a connection.
 */
public final class FrameDecoder {

    /** Receives each whole message. */
    @FunctionalInterface
    public interface MessageSink {
        /** Takes one decoded message; throwing makes the decoder offer the same message again later. */
        void accept(XsMessage message);
    }

    /** The steps of decoding one message, for fault-injection tests. */
    public enum Step {
        /** The 16 header bytes are in. */
        HEADER,
        /** The payload length was checked. */
        LENGTH,
        /** The payload bytes are in. */
        PAYLOAD,
        /** The message object is about to be allocated. */
        MESSAGE
    }

    /** A test seam: called at each {@link Step}; throwing simulates a failure at that step. */
    @FunctionalInterface
    public interface StepHook {
        /** Called before the decoder moves past {@code step}. */
        void at(Step step);
    }

    private static final StepHook NO_HOOK = step -> { };
    private static volatile StepHook injected = NO_HOOK;

    private final ByteBuffer header = ByteBuffer.allocate(XsWire.HEADER_SIZE).order(XsWire.BYTE_ORDER);
    private final byte[] payload = new byte[XsWire.XENSTORE_PAYLOAD_MAX];
    private int payloadLength = -1;
    private int payloadFilled;
    private boolean lengthChecked;
    private boolean complete;

    /**
     * Installs a hook every decoder calls at each step (tests only; {@code null} removes it). Global to the
     * JVM, so tests using it must not run in parallel with others.
     */
    public static void injectFaults(StepHook hook) {
        injected = hook == null ? NO_HOOK : hook;
    }

    /**
     * Consumes what it can of {@code in} and hands each completed message to {@code sink}. Call it even with
     * an empty buffer after a failure: a message kept from a failed hand-over is offered first.
     *
     * @throws MalformedMessageException if a header announces an oversize payload; the decoder is then
     *         positioned after that header, and {@link #reset()} must be called before feeding more
     * @throws RuntimeException or Error from the sink or an allocation: the message is kept; call again
     */
    public void feed(ByteBuffer in, MessageSink sink) throws MalformedMessageException {
        StepHook hook = injected;
        while (true) {
            if (!complete && !fill(in, hook)) {
                return;
            }
            hook.at(Step.MESSAGE);
            XsMessage m = new XsMessage(header.getInt(0), header.getInt(4), header.getInt(8),
                    Arrays.copyOf(payload, payloadLength));
            sink.accept(m);
            clear();
        }
    }

    /** Reads header then payload from {@code in}; true once a whole message is assembled. */
    private boolean fill(ByteBuffer in, StepHook hook) throws MalformedMessageException {
        if (payloadLength < 0) {
            int n = Math.min(in.remaining(), header.remaining());
            header.put(header.position(), in, in.position(), n);
            header.position(header.position() + n);
            in.position(in.position() + n);
            if (header.hasRemaining()) {
                return false;
            }
            hook.at(Step.HEADER);
            payloadLength = XsWire.payloadLength(header.duplicate().position(0));
            payloadFilled = 0;
        }
        if (!lengthChecked) {
            hook.at(Step.LENGTH);
            lengthChecked = true;
        }
        int n = Math.min(in.remaining(), payloadLength - payloadFilled);
        in.get(payload, payloadFilled, n);
        payloadFilled += n;
        if (payloadFilled < payloadLength) {
            return false;
        }
        hook.at(Step.PAYLOAD);
        complete = true;
        return true;
    }

    /** True when no partial or undelivered message is held: the stream is at a message boundary. */
    public boolean atBoundary() {
        return payloadLength < 0 && header.position() == 0;
    }

    /** Forgets any partial or undelivered message (after a reconnection, or a malformed header). */
    public void reset() {
        clear();
    }

    private void clear() {
        header.clear();
        payloadLength = -1;
        payloadFilled = 0;
        lengthChecked = false;
        complete = false;
    }
}
