package org.jxenbus.xenstore.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.api.AsyncXenstoreOperations;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.ConnectionStatistics;
import org.jxenbus.xenstore.api.PrivilegedOperations;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.RawWatchListener;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.TransactionWork;
import org.jxenbus.xenstore.api.TransportFailureException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreInterruptedException;
import org.jxenbus.xenstore.api.XenstoreTimeoutException;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XenstorePaths;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * A multiplexed connection: the public face of one {@link Multiplexer} over one transport.
 *
 * <p>Thread-safe. Holds no thread while idle; see {@link IoThread}.
 */
final class CoreConnection extends BlockingOperations implements XenstoreConnection {

    private static final Logger LOG = System.getLogger(CoreConnection.class.getName());
    private static final long CLOSE_JOIN_MILLIS = 5000;

    private final Transport transport;
    private final Multiplexer mux;
    private final AsyncOperations async;
    private final Waiter waiter;
    private final Semaphore transactionSlots;
    private final long timeoutNanos;
    private final TransactionRunner runner;
    private final Privileged privileged;
    private volatile boolean closed;

    CoreConnection(Transport transport, ConnectionOptions options, int firstRequestId) {
        this(transport, options, new Multiplexer(transport, options, firstRequestId));
    }

    private CoreConnection(Transport transport, ConnectionOptions options, Multiplexer mux) {
        this(transport, options, mux, new AsyncOperations(mux, 0, () -> { }),
                new Waiter(mux.io(), options.requestTimeout().toNanos()));
    }

    private CoreConnection(Transport transport, ConnectionOptions options, Multiplexer mux, AsyncOperations async,
            Waiter waiter) {
        super(async, waiter);
        this.transport = transport;
        this.mux = mux;
        this.async = async;
        this.waiter = waiter;
        this.timeoutNanos = options.requestTimeout().toNanos();
        this.transactionSlots = new Semaphore(options.maxOpenTransactions(), true);
        this.runner = new TransactionRunner(this::beginTransaction, options);
        this.privileged = new Privileged(async, waiter);
    }

    @Override
    public AsyncXenstoreOperations async() {
        return async;
    }

    @Override
    public Transaction beginTransaction() {
        acquireTransactionSlot();
        try {
            int id = waiter.await(async.send(XsMessageType.XS_TRANSACTION_START, Payloads.strings(""),
                    "TRANSACTION_START").thenApply(m -> Replies.transactionId(m, "TRANSACTION_START")),
                    "TRANSACTION_START");
            return CoreTransaction.open(mux, id, waiter, transactionSlots::release);
        } catch (RuntimeException | Error e) {
            transactionSlots.release();
            throw e;
        }
    }

    private void acquireTransactionSlot() {
        try {
            if (!transactionSlots.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw new XenstoreTimeoutException("TRANSACTION_START: no transaction slot freed within the request "
                        + "timeout (all " + (transactionSlots.availablePermits() + transactionSlots.getQueueLength())
                        + " in use)", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenstoreInterruptedException("TRANSACTION_START: interrupted waiting for a transaction slot", e);
        }
    }

    @Override
    public <T> T transaction(TransactionWork<T> work) {
        return runner.run(Objects.requireNonNull(work, "work"));
    }

    @Override
    public RawWatch watch(String path, RawWatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        XenstorePaths.check("WATCH", path);
        return CoreRawWatch.set(mux.watches(), async, waiter, path, listener);
    }

    @Override
    public PrivilegedOperations privileged() {
        return privileged;
    }

    @Override
    public String describe() {
        return transport.info().uri();
    }

    @Override
    public ConnectionStatistics statistics() {
        return mux.statistics();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!mux.io().stop(CLOSE_JOIN_MILLIS)) {
            LOG.log(Level.WARNING, "xenstore I/O thread of " + describe() + " did not stop within "
                    + CLOSE_JOIN_MILLIS + " ms (a watch listener blocking?)");
        }
        transport.close();
        mux.fail(new TransportFailureException("connection closed", null));
    }

    Multiplexer mux() {
        return mux;
    }

    @Override
    public String toString() {
        return "XenstoreConnection[" + describe() + "]";
    }
}
