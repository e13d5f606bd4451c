package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * One request from submission to reply. Its state moves once from QUEUED to WRITTEN (taken by the I/O
 * thread, which then writes it completely) or to ABANDONED (its caller gave up: timeout, cancellation,
 * interrupt). An abandoned request that was never written is dropped; one already written keeps its
 * request id until the late reply arrives and is discarded.
 */
final class PendingRequest {

    private static final int QUEUED = 0;
    private static final int WRITTEN = 1;
    private static final int ABANDONED_QUEUED = 2;
    private static final int ABANDONED_WRITTEN = 3;

    final XsMessageType type;
    final int txId;
    final byte[] payload;
    final String description;
    final long deadlineNanos;
    final CompletableFuture<XsMessage> reply = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private int reqId;

    PendingRequest(XsMessageType type, int txId, byte[] payload, String description, long deadlineNanos) {
        this.type = type;
        this.txId = txId;
        this.payload = payload;
        this.description = description;
        this.deadlineNanos = deadlineNanos;
    }

    /** Called by the I/O thread when it takes the request: false if the caller abandoned it first. */
    boolean markWritten(int id) {
        reqId = id;
        return state.compareAndSet(QUEUED, WRITTEN);
    }

    /** The caller gives up; the future is already completed or about to be. */
    void abandon() {
        state.compareAndSet(QUEUED, ABANDONED_QUEUED);
        state.compareAndSet(WRITTEN, ABANDONED_WRITTEN);
    }

    boolean written() {
        int s = state.get();
        return s == WRITTEN || s == ABANDONED_WRITTEN;
    }

    XsMessage message() {
        return new XsMessage(type.code(), reqId, txId, payload);
    }

    int reqId() {
        return reqId;
    }

    @Override
    public String toString() {
        return description;
    }
}
