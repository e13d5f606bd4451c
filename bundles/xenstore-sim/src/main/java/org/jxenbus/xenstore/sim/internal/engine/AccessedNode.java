package org.jxenbus.xenstore.sim.internal.engine;

/**
 * A node a transaction touched ({@code struct accessed_node}): its generation when first read (checked at
 * commit), the permissions it had then (for watch events at commit), whether the transaction changed it and
 * whether the transaction's own copy exists in the database under {@link #transactionKey}.
 */
final class AccessedNode {

    final String transactionKey;
    final String name;
    long generation = Node.NO_GENERATION;
    NodePerms perms;
    boolean checkGeneration;
    boolean modified;
    boolean hasCopy;
    boolean fireWatch;
    boolean watchExact;

    AccessedNode(String transactionKey, String name) {
        this.transactionKey = transactionKey;
        this.name = name;
    }
}
