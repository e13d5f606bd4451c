package org.jxenbus.xenstore.sim.internal.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * The node records by key ({@code tdb_ctx}): a node's path, or {@code <generation>/<path>} for a
 * transaction's private copy. Every write and delete charges or refunds the record's size and key length to
 * the owning domain ({@code do_tdb_write}, {@code do_tdb_delete}); a transaction's copies are charged to the
 * connection's domain. Engine thread only.
 */
final class Database {

    private final Map<String, NodeRecord> records = new HashMap<>();
    private final Domains domains;

    Database(Domains domains) {
        this.domains = domains;
    }

    NodeRecord fetch(String key) {
        return records.get(key);
    }

    int size() {
        return records.size();
    }

    Map<String, NodeRecord> view() {
        return java.util.Collections.unmodifiableMap(records);
    }

    /**
     * Stores {@code record} under {@code key}, moving its accounting from the old record's owner to the new
     * one; {@code acc}, when given, says what the old record cost (size -1: look it up) and is updated.
     *
     * @throws XsError ENOMEM when the new owner is over its memory quota (nothing is changed then)
     */
    void write(Connection conn, String key, NodeRecord record, Node acc, boolean noQuotaCheck) throws XsError {
        int oldSize;
        int oldOwner;
        if (acc == null || acc.accountedSize < 0) {
            NodeRecord old = records.get(key);
            oldSize = old == null ? 0 : old.size();
            oldOwner = old == null ? (acc == null ? 0 : acc.accountedDomid) : old.perms().owner().id();
        } else {
            oldSize = acc.accountedSize;
            oldOwner = acc.accountedDomid;
        }
        int oldDomid = chargedDomain(conn, key, oldOwner);
        int newDomid = chargedDomain(conn, key, record.perms().owner().id());
        int keyLength = key.length();
        if (oldSize != 0) {
            domains.memoryAddUnchecked(oldDomid, -oldSize - keyLength);
        }
        try {
            domains.memoryAdd(newDomid, record.size() + keyLength, noQuotaCheck);
        } catch (XsError e) {
            if (oldSize != 0) {
                domains.memoryAddUnchecked(oldDomid, oldSize + keyLength);
            }
            throw e;
        }
        records.put(key, record);
        if (acc != null) {
            acc.accountedDomid = record.perms().owner().id();
            acc.accountedSize = record.size();
        }
    }

    /** Removes the record under {@code key}, refunding what it cost; {@code acc} as for {@link #write}. */
    void delete(Connection conn, String key, Node acc) {
        int size;
        int owner;
        if (acc == null || acc.accountedSize < 0) {
            NodeRecord old = records.get(key);
            size = old == null ? 0 : old.size();
            owner = old == null ? 0 : old.perms().owner().id();
            if (acc != null) {
                acc.accountedSize = size;
                acc.accountedDomid = owner;
            }
        } else {
            size = acc.accountedSize;
            owner = acc.accountedDomid;
        }
        records.remove(key);
        if (size != 0) {
            domains.memoryAddUnchecked(chargedDomain(conn, key, owner), -size - key.length());
        }
    }

    /** {@code get_acc_domid}: a transaction's copies are charged to the connection, other records to the owner. */
    private static int chargedDomain(Connection conn, String key, int owner) {
        return conn == null || key.startsWith("/") ? owner : conn.id;
    }
}
