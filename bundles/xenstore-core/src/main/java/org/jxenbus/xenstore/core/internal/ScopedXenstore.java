package org.jxenbus.xenstore.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jxenbus.xenstore.api.AsyncXenstoreOperations;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.RawWatchListener;
import org.jxenbus.xenstore.api.RequestScope;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.TransactionWork;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.api.XenstoreOperations;
import org.jxenbus.xenstore.api.XenstoreService;

/**
 * One consumer's {@link XenstoreService} over a shared connection: the same requests, but the transactions
 * it opens and the raw watches it sets are remembered until they end, and {@link #close()} ends the rest
 * (transactions aborted, watches removed), as the Linux kernel does when a {@code /dev/xen/xenbus} file is
 * closed. Other consumers' transactions and watches on the same connection are untouched. Public for the
 * core's runtime package only (not exported). Thread-safe.
 */
public class ScopedXenstore extends BlockingOperations implements XenstoreService {

    private static final Logger LOG = System.getLogger(ScopedXenstore.class.getName());

    private final CoreConnection connection;
    private final String owner;
    private final Set<CoreTransaction> transactions = ConcurrentHashMap.newKeySet();
    private final Set<CoreRawWatch> watches = ConcurrentHashMap.newKeySet();
    private final TransactionRunner runner;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * A view of {@code shared} (a connection made by this core) for {@code owner} (named in logs).
     *
     * @throws IllegalArgumentException if {@code shared} was not made by this core
     */
    public ScopedXenstore(XenstoreConnection shared, String owner) {
        this(core(shared), owner);
    }

    private ScopedXenstore(CoreConnection connection, String owner) {
        super(connection.asyncOperations(), connection.waiter());
        this.connection = connection;
        this.owner = Objects.requireNonNull(owner, "owner");
        this.runner = new TransactionRunner(this::beginTransaction, connection::options);
    }

    private static CoreConnection core(XenstoreConnection shared) {
        if (shared instanceof CoreConnection c) {
            return c;
        }
        throw new IllegalArgumentException("not a connection of this core: " + shared);
    }

    @Override
    public AsyncXenstoreOperations async() {
        return connection.async();
    }

    @Override
    public XenstoreOperations within(RequestScope scope) {
        return connection.within(scope);
    }

    @Override
    public Transaction beginTransaction() {
        checkOpen();
        CoreTransaction tx = (CoreTransaction) connection.beginTransaction();
        transactions.add(tx);
        tx.whenEnded(() -> transactions.remove(tx));
        if (closed.get()) {
            tx.close();
            checkOpen();
        }
        return tx;
    }

    @Override
    public <T> T transaction(TransactionWork<T> work) {
        return runner.run(Objects.requireNonNull(work, "work"));
    }

    @Override
    public RawWatch watch(String path, RawWatchListener listener) {
        checkOpen();
        CoreRawWatch w = (CoreRawWatch) connection.watch(path, listener);
        watches.add(w);
        w.whenClosed(() -> watches.remove(w));
        if (closed.get()) {
            w.close();
            checkOpen();
        }
        return w;
    }

    /** Open transactions of this view now. */
    public int openTransactions() {
        return transactions.size();
    }

    /** Raw watches of this view now. */
    public int openWatches() {
        return watches.size();
    }

    /**
     * Aborts this view's open transactions and removes its watches; later transactions and watches are
     * refused (plain requests still pass: they leave nothing behind). Idempotent.
     */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        int aborted = 0;
        for (CoreTransaction tx : Set.copyOf(transactions)) {
            try {
                tx.close();
                aborted++;
            } catch (XenstoreException e) {
                LOG.log(Level.DEBUG, owner + ": aborting transaction " + tx.id() + " failed: " + e.getMessage());
            }
        }
        int removed = 0;
        for (CoreRawWatch w : Set.copyOf(watches)) {
            try {
                w.close();
                removed++;
            } catch (XenstoreException e) {
                LOG.log(Level.DEBUG, owner + ": removing the watch of " + w.path() + " failed: " + e.getMessage());
            }
        }
        if (aborted + removed > 0) {
            LOG.log(Level.INFO, owner + " released xenstore: " + aborted + " open transactions aborted, " + removed
                    + " watches removed");
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException(owner + ": this xenstore service was released");
        }
    }

    @Override
    public String toString() {
        return "XenstoreService[" + owner + " over " + connection.describe() + "]";
    }
}
