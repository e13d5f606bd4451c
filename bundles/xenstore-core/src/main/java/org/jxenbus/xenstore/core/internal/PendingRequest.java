package org.jxenbus.xenstore.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * One request from submission until it leaves the connection. Its state moves once from QUEUED to WRITTEN
 * (taken by the I/O thread, which then writes it completely) or to ABANDONED (its caller gave up before
 * that: it is dropped, never written). A written request whose caller gave up keeps its request id until
 * its late reply arrives; the reply is then discarded and handed to the request's {@link Settlement}, which
 * may undo what the server did (abort a transaction, remove a watch).
 */
final class PendingRequest {

    /** Told once how a request ended on the wire; runs on the I/O thread (or a failing or closing one). */
    @FunctionalInterface
    interface Settlement {
        /** No settlement: nothing to undo or release. */
        Settlement NONE = (reply, late) -> { };

        /**
         * @param reply the server's reply (an error reply included), or {@code null} if there will be none:
         *        dropped before writing, or the connection failed or closed
         * @param late whether the caller had already given up when the reply came
         */
        void settled(XsMessage reply, boolean late);
    }

    private static final Logger LOG = System.getLogger(PendingRequest.class.getName());
    private static final int QUEUED = 0;
    private static final int WRITTEN = 1;
    private static final int ABANDONED = 2;

    final XsMessageType type;
    final int txId;
    /** For a transaction's request: the gate generation and server session the transaction began in. */
    final int generation;
    final int session;
    /** Made by the connection itself (compensation, session restore): never held by the gate. */
    final boolean internal;
    final byte[] payload;
    final String description;
    final long deadlineNanos;
    final long timeoutNanos;
    /** Whether it holds one unit of the connection's bounded submission queue. */
    final boolean holdsQueueRoom;
    final CompletableFuture<XsMessage> reply = new CompletableFuture<>();
    private final Settlement settlement;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final AtomicBoolean settled = new AtomicBoolean();
    private int reqId;
    /** I/O thread only: whether its unit of the submission queue was given back. */
    boolean roomReturned;
    /** I/O thread only: a stale transaction's commit, written as an abort and answered with EAGAIN. */
    boolean abortInstead;
    /** I/O thread only: the reply came, but the verb waiting for it had just ended; see {@link #unclaimed()}. */
    private boolean unclaimed;

    PendingRequest(XsMessageType type, int txId, byte[] payload, String description, long now, long timeoutNanos,
            boolean holdsQueueRoom, Settlement settlement) {
        this(type, txId, 0, 0, false, payload, description, now, timeoutNanos, holdsQueueRoom, settlement);
    }

    PendingRequest(XsMessageType type, int txId, int generation, int session, boolean internal, byte[] payload,
            String description, long now, long timeoutNanos, boolean holdsQueueRoom, Settlement settlement) {
        this.type = type;
        this.txId = txId;
        this.generation = generation;
        this.session = session;
        this.internal = internal;
        this.payload = payload;
        this.description = description;
        this.timeoutNanos = timeoutNanos;
        this.deadlineNanos = now + timeoutNanos;
        this.holdsQueueRoom = holdsQueueRoom;
        this.settlement = settlement;
    }

    /** Called by the I/O thread when it takes the request: false if the caller abandoned it first. */
    boolean markWritten(int id) {
        reqId = id;
        return state.compareAndSet(QUEUED, WRITTEN);
    }

    /**
     * The connection was lost after this was written: it goes back to the queue to be written again on the
     * next connection (with a new request id).
     *
     * @return false if its caller gave up meanwhile
     */
    boolean requeue() {
        return state.compareAndSet(WRITTEN, QUEUED);
    }

    /** The caller gave up: a request not yet taken will be dropped. */
    void abandon() {
        state.compareAndSet(QUEUED, ABANDONED);
    }

    /**
     * Called on the I/O thread while the reply is delivered, when the verb's own future had already ended (it was
     * cancelled between this request's completion and the verb's): no caller received the reply, so it is late.
     */
    void unclaimed() {
        unclaimed = true;
    }

    /** Whether the reply was delivered to this request but not claimed by its verb. */
    boolean wasUnclaimed() {
        return unclaimed;
    }

    /** Whether the I/O thread took it: its bytes reach, or reached, the server. */
    boolean written() {
        return state.get() == WRITTEN;
    }

    /**
     * Whether giving up on it now leaves its effect unknown: it was written and changes the store.
     */
    boolean outcomeUnknownIfAbandoned() {
        return written() && !type.idempotent();
    }

    /** Runs the settlement once; never throws. */
    void settle(XsMessage replyOrNull, boolean late) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        try {
            settlement.settled(replyOrNull, late);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "settling " + description + " failed", e);
        }
    }

    XsMessage message() {
        return new XsMessage(type.code(), reqId, txId, abortInstead ? ABORT : payload);
    }

    private static final byte[] ABORT = {'F', 0};

    int reqId() {
        return reqId;
    }

    @Override
    public String toString() {
        return description;
    }
}
