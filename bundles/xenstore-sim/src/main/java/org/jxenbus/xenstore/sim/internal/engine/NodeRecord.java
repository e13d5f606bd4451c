package org.jxenbus.xenstore.sim.internal.engine;

/**
 * A node as the database holds it (xenstored's TDB record): generation, permissions, value and the
 * NUL-terminated names of its children in creation order. Immutable; its arrays are never changed.
 */
record NodeRecord(long generation, NodePerms perms, byte[] data, byte[] children) {

    /** {@code sizeof(struct xs_tdb_record_hdr)}: generation, three counts, padded to 8 bytes. */
    static final int HEADER_SIZE = 24;
    /** {@code sizeof(struct xs_permissions)}. */
    static final int PERM_SIZE = 8;

    /** The record's size as xenstored counts it for the node-size quota and memory accounting. */
    int size() {
        return HEADER_SIZE + PERM_SIZE * perms.size() + data.length + children.length;
    }
}
