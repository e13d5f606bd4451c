package org.jxenbus.xenstore.spi.transport;

import java.io.IOException;

import org.jxenbus.xenstore.spi.wire.MalformedMessageException;

/**
 * One open connection to a xenstore server that moves whole messages.
 *
 * <p><b>Threads.</b> One I/O thread, owned by the core, calls {@link #write}, {@link #read} and
 * {@link #await}; they never block except {@link #await}, which blocks at most its timeout. Any thread may
 * call {@link #wakeup()}, {@link #info()} and {@link #close()}. The I/O thread is never interrupted: an
 * interrupt would close NIO channels.
 *
 * <p><b>Closed under the I/O thread.</b> {@link #close()} may come from another thread at any time, also
 * while the I/O thread is inside one of the I/O methods (a transport bundle that goes away closes the
 * transports it opened). The call in progress ends promptly, and from then on {@link #write}, {@link #read},
 * {@link #await} and {@link #reconnect} throw an {@link IOException} (such as
 * {@link java.nio.channels.ClosedChannelException} or {@link java.nio.channels.AsynchronousCloseException})
 * at once, without blocking: never an unchecked exception, so the core takes the transport for lost and
 * opens the next one. Nothing the transport maps or holds open is released while the I/O thread still uses
 * it. A transport over a stream that lives on after it (a ring page) leaves that stream at a message
 * boundary, so the next transport on it can be served.
 *
 * <p><b>Whole messages.</b> The core hands over one whole message at a time; once taken, the transport
 * owns it and writes all of it, possibly over several {@link #write} calls, before taking another (so a
 * stream never carries half a message, and a device that needs one message per {@code write(2)} gets it).
 */
public interface Transport extends AutoCloseable {

    /** What this transport is and its limits. */
    TransportInfo info();

    /**
     * Writes as much as possible without blocking: continues a partly written message, then takes further
     * messages from {@code source} while there is room.
     *
     * @return {@code true} if everything taken has been written; {@code false} if bytes are still waiting
     *         for the peer to make room (the I/O thread then awaits writability)
     * @throws IOException if the connection failed
     */
    boolean write(OutgoingMessages source) throws IOException;

    /**
     * Reads whatever is available without blocking and hands each whole message to {@code sink}, in
     * stream order. A partial message is kept for the next call.
     *
     * @throws java.io.EOFException if the peer closed the connection
     * @throws IOException if the connection failed
     * @throws MalformedMessageException if the stream broke the protocol (an oversize header); the
     *         connection cannot be trusted after it
     */
    void read(IncomingMessages sink) throws IOException, MalformedMessageException;

    /**
     * Blocks until there is something to read, or room to write when {@code wantWrite}, or
     * {@link #wakeup()} was called since the last await, or {@code timeoutNanos} passed. May return early
     * spuriously.
     *
     * @throws IOException if the connection failed
     */
    void await(boolean wantWrite, long timeoutNanos) throws IOException;

    /** Makes a concurrent or the next {@link #await} return promptly. Cheap; callable from any thread. */
    void wakeup();

    /**
     * The transport's own counters (kicks sent and received over a ring, for example), for monitoring;
     * read from any thread. Empty by default.
     */
    default java.util.Map<String, Long> counters() {
        return java.util.Map.of();
    }

    /**
     * Asks the server to reset this connection in place (the ring reconnection protocol), where it offers
     * that; the server then forgets the connection's watches and transactions. Called on the I/O thread
     * (or while it is stopped).
     *
     * @return false if the transport cannot do it (the core then opens a new transport instead)
     * @throws IOException if the reset started but failed
     */
    default boolean reconnect(long timeoutNanos) throws IOException {
        return false;
    }

    /** Whether the stream is at a message boundary in both directions (nothing half read or written). */
    boolean atMessageBoundary();

    /**
     * Releases the connection; an {@link #await} in progress returns. Any thread; idempotent, never throws.
     * Afterwards the I/O methods throw an {@link IOException}.
     */
    @Override
    void close();
}
