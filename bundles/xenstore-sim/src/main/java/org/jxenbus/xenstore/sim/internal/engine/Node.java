package org.jxenbus.xenstore.sim.internal.engine;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A node being worked on ({@code struct node}): read from the database as a copy, changed, written back.
 * Also remembers what the database holds for it (its accounting) and, while a subtree is walked or a path
 * created, its parent. Belongs to the engine thread, for one request.
 */
final class Node {

    /** {@code NO_GENERATION}: the node does not exist. */
    static final long NO_GENERATION = -1L;
    private static final byte[] NONE = new byte[0];

    final String name;
    long generation;
    NodePerms perms;
    byte[] data = NONE;
    /** NUL-terminated child names in creation order. */
    byte[] children = NONE;
    /** The parent while creating a path or walking a subtree; null otherwise. */
    Node parent;
    /** Who owns the record under the key last used, and its size; size -1: not known, look it up. */
    int accountedDomid;
    int accountedSize;
    /** The database key of the last write (the transaction's copy inside one). */
    String key;
    /** Where a subtree walk is in {@link #children}. */
    int childOffset;

    Node(String name) {
        this.name = name;
    }

    static Node of(String name, NodeRecord r) {
        Node n = new Node(name);
        n.generation = r.generation();
        n.perms = r.perms();
        n.data = r.data();
        n.children = r.children();
        n.accountedDomid = r.perms().owner().id();
        n.accountedSize = r.size();
        return n;
    }

    NodeRecord record() {
        return new NodeRecord(generation, perms, data, children);
    }

    /** {@code add_child}: appends the basename of {@code childName}. */
    void addChild(String childName) {
        byte[] base = CStrings.bytes(NodePaths.basename(childName));
        byte[] grown = Arrays.copyOf(children, children.length + base.length + 1);
        System.arraycopy(base, 0, grown, children.length, base.length);
        children = grown;
    }

    /** The offset of child {@code base}'s entry, or -1. */
    int childEntry(String base) {
        byte[] want = CStrings.bytes(base);
        for (int i = 0; i < children.length;) {
            int len = CStrings.stringLength(children, i);
            if (len == want.length + 1 && Arrays.equals(children, i, i + len - 1, want, 0, want.length)) {
                return i;
            }
            i += len == 0 ? children.length : len;
        }
        return -1;
    }

    /** Removes the child entry starting at {@code offset}. */
    void removeChildEntry(int offset) {
        int len = CStrings.stringLength(children, offset);
        ByteArrayOutputStream out = new ByteArrayOutputStream(children.length - len);
        out.write(children, 0, offset);
        out.write(children, offset + len, children.length - offset - len);
        children = out.toByteArray();
    }

    @Override
    public String toString() {
        return name + "@" + Long.toUnsignedString(generation);
    }
}
