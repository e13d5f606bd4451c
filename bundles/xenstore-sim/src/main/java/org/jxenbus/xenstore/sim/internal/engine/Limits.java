package org.jxenbus.xenstore.sim.internal.engine;

import org.jxenbus.xenstore.sim.Quotas;

/**
 * The quotas in force, changeable at run time by {@code CONTROL quota set} as in xenstored; they apply to
 * unprivileged domains only. Engine thread only.
 */
final class Limits {

    int nodes;
    int watches;
    int transactions;
    int outstanding;
    int transactionNodes;
    int memory;
    int memorySoft;
    int nodeSize;
    int pathMax;
    int permissions;
    /** Milliseconds an unprivileged domain's watch event may wait unsent (0: forever). */
    long watchEventTimeoutMillis;

    Limits(Quotas q) {
        nodes = q.nodes();
        watches = q.watches();
        transactions = q.transactions();
        outstanding = q.outstanding();
        transactionNodes = q.transactionNodes();
        memory = q.memory();
        memorySoft = q.memorySoft();
        nodeSize = q.nodeSize();
        pathMax = Math.min(q.pathMax(), org.jxenbus.xenstore.spi.wire.XsWire.XENSTORE_REL_PATH_MAX);
        permissions = q.permissions();
        watchEventTimeoutMillis = q.watchEventTimeout().toMillis();
    }
}
