package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jxenbus.xenstore.api.AsyncXenstoreOperations;
import org.jxenbus.xenstore.api.OutcomeUnknownException;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.XenstoreInterruptedException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * An open transaction: the verbs with its id, then one TRANSACTION_END. Its slot returns to the
 * connection's cap when the END has settled on the wire, whatever the outcome.
 */
final class CoreTransaction extends BlockingOperations implements Transaction {

    private final int id;
    private final AsyncOperations async;
    private final TransactionSlots.Slot slot;
    private final AtomicBoolean ended;
    private volatile Runnable onEnd = () -> { };

    static CoreTransaction open(Multiplexer mux, int id, int generation, int session, long timeoutNanos, Waiter waiter,
            TransactionSlots.Slot slot) {
        AtomicBoolean ended = new AtomicBoolean();
        Runnable check = () -> {
            if (ended.get()) {
                throw new IllegalStateException("transaction " + Integer.toUnsignedString(id) + " has ended");
            }
        };
        return new CoreTransaction(new AsyncOperations(mux, id, generation, session, timeoutNanos, check), id, waiter,
                slot, ended);
    }

    private CoreTransaction(AsyncOperations async, int id, Waiter waiter, TransactionSlots.Slot slot,
            AtomicBoolean ended) {
        super(async, waiter);
        this.async = async;
        this.id = id;
        this.slot = slot;
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
        end(true);
    }

    @Override
    public void abort() {
        end(false);
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

    /** Runs {@code hook} once when the transaction ends (commit or abort begins); for scoped views. */
    void whenEnded(Runnable hook) {
        onEnd = hook;
        if (ended.get()) {
            hook.run();
        }
    }

    private void end(boolean commit) {
        if (!ended.compareAndSet(false, true)) {
            throw new IllegalStateException("transaction " + Integer.toUnsignedString(id) + " has ended");
        }
        onEnd.run();
        // The END is queued even by an interrupted thread (the abort of a try-with-resources often runs on one), and
        // an interrupt ends only the wait for it: an END refused or abandoned would leave the transaction open on the
        // server, holding its quota, while its slot here was given back. A thread interrupted before it commits
        // aborts instead, so that what it is told is known. The interrupt is kept.
        boolean interrupted = Thread.interrupted();
        boolean commits = commit && !interrupted;
        String what = "TRANSACTION_END " + (commits ? "T" : "F") + " tx " + Integer.toUnsignedString(id);
        RequestFuture<Void> f;
        try {
            f = async.callUnchecked(XsMessageType.XS_TRANSACTION_END, Payloads.strings(commits ? "T" : "F"), what,
                    m -> null, (reply, late) -> slot.release());
        } catch (RuntimeException e) {
            slot.release();
            throw e;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (commit && interrupted) {
            throw new XenstoreInterruptedException("TRANSACTION_END T tx " + Integer.toUnsignedString(id)
                    + ": interrupted before the commit; the transaction is aborted instead", null);
        }
        awaitDetached(f, what);
        if (!f.isDone() && Thread.currentThread().isInterrupted()) { // not on the I/O thread: await refuses there
            if (commit) {
                throw new OutcomeUnknownException(what + ": interrupted", OutcomeUnknownException.Reason.INTERRUPTED);
            }
            return; // interrupted: the abort still goes out
        }
        await(f, what);
    }
}
