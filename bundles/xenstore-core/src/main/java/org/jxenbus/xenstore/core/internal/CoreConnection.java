package org.jxenbus.xenstore.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;

import org.jxenbus.xenstore.api.AsyncXenstoreOperations;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.ConnectionStatistics;
import org.jxenbus.xenstore.api.RequestMetrics;
import org.jxenbus.xenstore.api.PrivilegedOperations;
import org.jxenbus.xenstore.api.ProtocolViolationException;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.RawWatchListener;
import org.jxenbus.xenstore.api.RequestScope;
import org.jxenbus.xenstore.api.SuspendControl;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.TransactionWork;
import org.jxenbus.xenstore.api.TransportFailureException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreOperations;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XenstorePaths;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * A multiplexed connection: the public face of one {@link Multiplexer} over one transport.
 *
 * <p>Thread-safe. Holds no thread while idle; see {@link IoThread}.
 */
final class CoreConnection extends BlockingOperations implements XenstoreConnection {

    private static final Logger LOG = System.getLogger(CoreConnection.class.getName());
    private static final long CLOSE_JOIN_MILLIS = 5000;
    /** How long closing a ring waits for written requests to be answered, and for RESET_WATCHES. */
    private static final long LEAVE_DRAIN_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    private final Link link;
    private final Multiplexer mux;
    private final AsyncOperations async;
    private final Waiter waiter;
    private final TransactionSlots slots;
    private final TransactionRunner runner;
    private final Privileged privileged;
    private final Gate gate;
    private volatile ConnectionOptions options;
    private volatile boolean closed;

    CoreConnection(Transport transport, ConnectionOptions options, int firstRequestId) {
        this(new Link(null, transport), options, firstRequestId);
    }

    CoreConnection(Link link, ConnectionOptions options, int firstRequestId) {
        this(link, options, new Multiplexer(link, options, firstRequestId));
    }

    private CoreConnection(Link link, ConnectionOptions options, Multiplexer mux) {
        this(link, options, mux, AsyncOperations.connectionDefault(mux), new Waiter(mux.io(), null));
    }

    private CoreConnection(Link link, ConnectionOptions options, Multiplexer mux, AsyncOperations async,
            Waiter waiter) {
        super(async, waiter);
        this.link = link;
        this.mux = mux;
        this.async = async;
        this.waiter = waiter;
        this.slots = new TransactionSlots(options.maxOpenTransactions());
        this.runner = new TransactionRunner(this::beginTransaction, this::options);
        this.privileged = new Privileged(async, this);
        this.gate = new Gate(mux, link);
        this.options = options;
    }

    @Override
    public AsyncXenstoreOperations async() {
        return async;
    }

    @Override
    public XenstoreOperations within(RequestScope scope) {
        Objects.requireNonNull(scope, "scope");
        AsyncOperations scoped = scope.timeout().map(t -> async.withTimeout(t.toNanos())).orElse(async);
        return new BlockingOperations(scoped, waiter.within(scope));
    }

    /**
     * Takes a transaction slot, then starts the transaction. The slot goes to the transaction; if the
     * start fails it is given back, and if the caller gives up while the START is on the wire, a late
     * success is aborted on the server (TRANSACTION_END F) before the slot is given back. The transaction belongs
     * to the session and gate generation its START was answered in (read on the I/O thread with the reply): a
     * START held by the gate or sent again on a new connection opens the transaction there, not where the call
     * began.
     */
    @Override
    public Transaction beginTransaction() {
        TransactionSlots.Slot slot = slots.acquire(async.timeoutNanos());
        PendingRequest.Settlement settlement = (reply, late) -> {
            boolean opened = reply != null && reply.type() == XsMessageType.XS_TRANSACTION_START.code();
            if (!opened) {
                slot.release();
            } else if (late) {
                abortLateTransaction(reply, slot);
            }
        };
        Started started;
        try {
            started = await(async.call(XsMessageType.XS_TRANSACTION_START, Payloads.strings(""), "TRANSACTION_START",
                    m -> new Started(Replies.transactionId(m, "TRANSACTION_START"), mux.gate().generation(),
                            link.session()), settlement), "TRANSACTION_START");
        } catch (ProtocolViolationException e) {
            slot.release();
            throw e;
        }
        return CoreTransaction.open(mux, started.id, started.generation, started.session, async.timeoutNanos(), waiter,
                slot);
    }

    /** A transaction the server started: its id, and the gate generation and session it was answered in. */
    private record Started(int id, int generation, int session) {
    }

    private void abortLateTransaction(XsMessage reply, TransactionSlots.Slot slot) {
        int tx;
        try {
            tx = Replies.transactionId(reply, "late TRANSACTION_START");
        } catch (ProtocolViolationException e) {
            slot.release();
            return;
        }
        mux.compensate(XsMessageType.XS_TRANSACTION_END, tx, Payloads.strings("F"),
                "TRANSACTION_END F tx " + Integer.toUnsignedString(tx), (r, l) -> slot.release());
    }

    @Override
    public <T> T transaction(TransactionWork<T> work) {
        return runner.run(Objects.requireNonNull(work, "work"));
    }

    @Override
    public RawWatch watch(String path, RawWatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        XenstorePaths.check("WATCH", path);
        return CoreRawWatch.set(mux, this, async, path, listener);
    }

    @Override
    public PrivilegedOperations privileged() {
        return privileged;
    }

    @Override
    public SuspendControl suspendControl() {
        return gate;
    }

    @Override
    public String describe() {
        return link.transport().info().uri();
    }

    @Override
    public ConnectionStatistics statistics() {
        return mux.statistics();
    }

    @Override
    public RequestMetrics metrics() {
        return mux.metrics();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (link.transport().info().resetOnClose() && !mux.failed()
                && mux.gate().state() == ConnectionGate.State.OPEN) {
            leaveCleanly();
        }
        if (!mux.io().stop(CLOSE_JOIN_MILLIS)) {
            LOG.log(Level.WARNING, "xenstore I/O thread of " + describe() + " did not stop within "
                    + CLOSE_JOIN_MILLIS + " ms (a watch listener blocking?)");
        }
        link.transport().close();
        mux.fail(new TransportFailureException("connection closed", null));
    }

    /**
     * Leaves a ring so that a later client of it starts clean: refuse new requests, let the written ones be
     * answered (so no late reply can meet a later client's request id), then RESET_WATCHES, which makes the
     * server forget this connection's watches and transactions.
     */
    private void leaveCleanly() {
        mux.refuseNew(new TransportFailureException("connection closing", null));
        long deadline = System.nanoTime() + LEAVE_DRAIN_NANOS;
        while (mux.inFlight() > 0 && System.nanoTime() - deadline < 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (mux.inFlight() > 0) {
            LOG.log(Level.WARNING, describe() + ": closing with " + mux.inFlight() + " requests still unanswered; "
                    + "their late replies will be skipped as stale by the ring's next client");
            return;
        }
        try {
            mux.submitFarewell(XsMessageType.XS_RESET_WATCHES, Payloads.strings(""), "RESET_WATCHES", LEAVE_DRAIN_NANOS)
                    .reply.get(LEAVE_DRAIN_NANOS + LEAVE_DRAIN_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.log(Level.WARNING, describe() + ": RESET_WATCHES on leaving failed: " + e.getMessage());
        }
    }

    Multiplexer mux() {
        return mux;
    }

    AsyncOperations asyncOperations() {
        return async;
    }

    Waiter waiter() {
        return waiter;
    }

    ConnectionOptions options() {
        return options;
    }

    /**
     * Applies {@code changed} to this open connection: requests, transactions and waits that begin from now
     * on follow it; what is under way keeps what it began with (a request its deadline, an open transaction
     * its slot). Nothing is sent and nothing is lost.
     */
    void reconfigure(ConnectionOptions changed) {
        Objects.requireNonNull(changed, "changed");
        synchronized (this) {
            options = changed;
            slots.resize(changed.maxOpenTransactions());
            mux.reconfigure(changed);
        }
    }

    /** Transaction slots free now (for tests of the cap and of compensation). */
    int freeTransactionSlots() {
        return slots.available();
    }

    @Override
    public String toString() {
        return "XenstoreConnection[" + describe() + "]";
    }
}
