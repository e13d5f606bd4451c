package org.jxenbus.xenstore.sim.internal.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One open transaction of a connection ({@code struct transaction}). Its generation (taken from the global
 * count when it starts) names its private copies of nodes in the database ({@code <generation>/<path>}).
 * Accessed nodes are kept in the order first touched: commit writes and fires in that order.
 */
final class Transaction {

    final int id;
    final long generation;
    final Map<String, AccessedNode> accessed = new LinkedHashMap<>();
    /** Node-count changes per owning domain, applied at commit ({@code changed_domains}). */
    final Map<Integer, Integer> changedDomains = new LinkedHashMap<>();
    int nodes;
    boolean nodeCreated;
    boolean fail;

    Transaction(int id, long generation) {
        this.id = id;
        this.generation = generation;
    }

    /** The database key of this transaction's copy of {@code name}. */
    String keyOf(String name) {
        return Long.toUnsignedString(generation) + "/" + name;
    }

    void entryChanged(int domid, int delta) {
        changedDomains.merge(domid, delta, Integer::sum);
    }
}
