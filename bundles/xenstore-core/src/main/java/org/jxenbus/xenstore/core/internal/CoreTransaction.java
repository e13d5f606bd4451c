package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jxenbus.xenstore.api.AsyncXenstoreOperations;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * An open transaction: the verbs with its id, then one TRANSACTION_END. Its slot in the connection's
 * transaction cap is returned when END completes, whatever the outcome.
 */
final class CoreTransaction extends BlockingOperations implements Transaction {

    private final int id;
    private final AsyncOperations async;
    private final BlockingOperations.Waiter waiter;
    private final Runnable releaseSlot;
    private final AtomicBoolean ended;

    static CoreTransaction open(Multiplexer mux, int id, BlockingOperations.Waiter waiter, Runnable releaseSlot) {
        AtomicBoolean ended = new AtomicBoolean();
        Runnable check = () -> {
            if (ended.get()) {
                throw new IllegalStateException("transaction " + Integer.toUnsignedString(id) + " has ended");
            }
        };
        return new CoreTransaction(new AsyncOperations(mux, id, check), id, waiter, releaseSlot, ended);
    }

    private CoreTransaction(AsyncOperations async, int id, BlockingOperations.Waiter waiter, Runnable releaseSlot,
            AtomicBoolean ended) {
        super(async, waiter);
        this.async = async;
        this.id = id;
        this.waiter = waiter;
        this.releaseSlot = releaseSlot;
        this.ended = ended;
    }

    @Override
    public long id() {
        return Integer.toUnsignedLong(id);
    }

    @Override
    public AsyncXenstoreOperations async() {
        return async;
    }

    @Override
    public void commit() {
        waiter.await(end(true), describe(true));
    }

    @Override
    public void abort() {
        waiter.await(end(false), describe(false));
    }

    @Override
    public void close() {
        if (!ended.get()) {
            try {
                abort();
            } catch (IllegalStateException alreadyEnded) {
                // ended concurrently: nothing to abort
            }
        }
    }

    private CompletableFuture<Void> end(boolean commit) {
        if (!ended.compareAndSet(false, true)) {
            throw new IllegalStateException("transaction " + Integer.toUnsignedString(id) + " has ended");
        }
        CompletableFuture<Void> f = sendEnd(commit);
        f.whenComplete((v, t) -> releaseSlot.run());
        return f;
    }

    private CompletableFuture<Void> sendEnd(boolean commit) {
        return async.sendUnchecked(XsMessageType.XS_TRANSACTION_END, Payloads.strings(commit ? "T" : "F"),
                describe(commit)).thenApply(m -> null);
    }

    private String describe(boolean commit) {
        return "TRANSACTION_END " + (commit ? "T" : "F") + " tx " + Integer.toUnsignedString(id);
    }
}
