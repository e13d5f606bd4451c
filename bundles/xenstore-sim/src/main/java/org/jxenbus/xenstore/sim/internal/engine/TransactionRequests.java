package org.jxenbus.xenstore.sim.internal.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Map;

import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * TRANSACTION_START and TRANSACTION_END with xenstored's conflict rule: a commit fails with EAGAIN if any
 * node the transaction read (or found missing) has another generation now; otherwise the transaction's
 * copies replace the nodes, in the order first touched, each taking a new generation and firing its
 * watches. Engine thread only.
 */
final class TransactionRequests {

    private static final Logger LOG = System.getLogger(TransactionRequests.class.getName());

    private final Xenstored xs;

    TransactionRequests(Xenstored xs) {
        this.xs = xs;
    }

    void register(Dispatcher d) {
        d.handle(XsMessageType.XS_TRANSACTION_START, this::start);
        d.handle(XsMessageType.XS_TRANSACTION_END, this::end);
    }

    private void start(Connection conn, XsMessage in) throws XsError {
        if (conn.transaction != null) {
            throw new XsError(Errno.EBUSY);
        }
        if (conn.unprivileged() && conn.transactionsStarted > xs.limits().transactions) {
            throw new XsError(Errno.ENOSPC);
        }
        long generation = xs.nextGeneration();
        int id;
        do {
            id = conn.nextTransactionId++;
        } while (id == 0 || find(conn, id) != null);
        Transaction t = new Transaction(id, generation);
        conn.transactions.add(t);
        conn.transactionsStarted++;
        xs.output().reply(conn, XsMessageType.XS_TRANSACTION_START,
                CStrings.nulTerminated(Integer.toUnsignedString(id)));
    }

    /** {@code transaction_lookup}: the open transaction {@code id} of {@code conn}, or null. */
    static Transaction find(Connection conn, int id) {
        for (Transaction t : conn.transactions) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }

    private void end(Connection conn, XsMessage in) throws XsError {
        String arg = CStrings.oneArg(in.payload());
        if (arg == null || !(arg.equals("T") || arg.equals("F"))) {
            throw new XsError(Errno.EINVAL);
        }
        Transaction t = conn.transaction;
        if (t == null) {
            throw new XsError(Errno.ENOENT);
        }
        conn.transaction = null;
        conn.transactions.remove(t);
        conn.transactionsStarted--;
        boolean checkQuota = t.nodeCreated && conn.unprivileged();
        try {
            if (arg.equals("T")) {
                if (t.fail) {
                    throw new XsError(Errno.ENOMEM);
                }
                fixDomains(t, checkQuota, false);
                commit(conn, t);
                fixDomains(t, false, true);
            }
            xs.output().ack(conn, XsMessageType.XS_TRANSACTION_END);
        } finally {
            discard(conn, t);
        }
    }

    /** {@code transaction_fix_domains}: checks (or applies) the node counts the transaction changes. */
    private void fixDomains(Transaction t, boolean checkQuota, boolean update) throws XsError {
        for (Map.Entry<Integer, Integer> e : t.changedDomains.entrySet()) {
            int count = xs.domains().entryFix(e.getKey(), e.getValue(), update);
            if (!update) {
                if (checkQuota && count >= xs.limits().nodes) {
                    throw new XsError(Errno.ENOSPC);
                }
                if (count < 0) {
                    throw new XsError(Errno.ENOMEM);
                }
            }
        }
    }

    /** {@code finalize_transaction}. */
    private void commit(Connection conn, Transaction t) throws XsError {
        for (AccessedNode a : new ArrayList<>(t.accessed.values())) {
            if (a.checkGeneration) {
                NodeRecord now = xs.db().fetch(a.name);
                long generation = now == null ? Node.NO_GENERATION : now.generation();
                if (a.generation != generation) {
                    throw new XsError(Errno.EAGAIN);
                }
            }
            if (!a.modified) {
                if (a.hasCopy) {
                    xs.db().delete(conn, a.transactionKey, null);
                }
                t.accessed.remove(a.name);
            }
        }
        for (AccessedNode a : new ArrayList<>(t.accessed.values())) {
            if (a.hasCopy) {
                NodeRecord copy = xs.db().fetch(a.transactionKey);
                if (copy != null) {
                    NodeRecord r = new NodeRecord(xs.nextGeneration(), copy.perms(), copy.data(), copy.children());
                    try {
                        xs.db().write(conn, a.name, r, null, true);
                    } catch (XsError e) {
                        LOG.log(Level.WARNING, "transaction inconsistency writing " + a.name);
                    }
                    xs.db().delete(conn, a.transactionKey, null);
                } else {
                    LOG.log(Level.WARNING, "transaction inconsistency: no copy of " + a.name);
                }
            } else if (a.generation != Node.NO_GENERATION) {
                xs.db().delete(conn, a.name, null);
            }
            if (a.fireWatch) {
                xs.watches().fire(conn, a.name, null, a.watchExact, a.perms);
            }
            t.accessed.remove(a.name);
        }
    }

    /** {@code destroy_transaction}: drops the copies the transaction still holds. */
    private void discard(Connection conn, Transaction t) {
        for (AccessedNode a : t.accessed.values()) {
            if (a.hasCopy) {
                xs.db().delete(conn, a.transactionKey, null);
            }
        }
        t.accessed.clear();
    }

    /** {@code conn_delete_all_transactions}. */
    void removeAll(Connection conn) {
        for (Transaction t : new ArrayList<>(conn.transactions)) {
            discard(conn, t);
        }
        conn.transactions.clear();
        conn.transactionsStarted = 0;
    }
}
