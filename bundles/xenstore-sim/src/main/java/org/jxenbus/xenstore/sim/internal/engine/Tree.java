package org.jxenbus.xenstore.sim.internal.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The node operations of xenstored_core.c: reading a node through the requesting connection's transaction
 * ({@code read_node}), the permission rules that decide between ENOENT and EACCES ({@code get_node},
 * {@code errno_from_parents}), writing ({@code write_node}, with the node-size quota), creating a path with
 * its missing parents ({@code create_node}) and removing a subtree ({@code rm_node}). Every change takes a
 * new generation number exactly where xenstored takes one, so DIRECTORY_PART's generation counts and the
 * transaction conflict rule come out the same. Engine thread only.
 */
final class Tree {

    private static final Logger LOG = System.getLogger(Tree.class.getName());

    /** What a request does to a node ({@code enum node_access_type}). */
    enum Access { READ, WRITE, DELETE }

    private final Xenstored xs;

    Tree(Xenstored xs) {
        this.xs = xs;
    }

    /** {@code perm_for_conn}. */
    static int accessFor(Connection conn, NodePerms perms) {
        return perms.accessFor(conn);
    }

    // ---- reading

    /**
     * {@code read_node}: the node as {@code conn} sees it (its transaction's copy if the transaction touched
     * it), recorded as read by the transaction. No permission check.
     *
     * @throws XsError ENOENT if it does not exist; ENOSPC/ENOMEM from the transaction's bookkeeping
     */
    Node read(Connection conn, String name) throws XsError {
        NodeRecord r = xs.db().fetch(keyOf(conn, name));
        if (r == null) {
            Node missing = new Node(name);
            missing.generation = Node.NO_GENERATION;
            Errno e;
            try {
                access(conn, missing, Access.READ);
                e = Errno.ENOENT;
            } catch (XsError accessFailure) {
                e = accessFailure.errno;
            }
            throw xs.fail(e);
        }
        Node node = Node.of(name, r);
        node.perms = xs.domains().adjust(node.perms, node.generation);
        access(conn, node, Access.READ);
        return node;
    }

    /**
     * {@code get_node}: the node if {@code conn} has all of {@code perm} on it. A node that is missing or not
     * permitted is reported as EACCES unless the nearest existing ancestor grants one of {@code perm}, so
     * nothing leaks about nodes one may not see.
     *
     * @throws XsError EINVAL for an invalid name, ENOENT, EACCES, or ENOSPC/ENOMEM
     */
    Node get(Connection conn, String name, int perm) throws XsError {
        if (name == null || !NodePaths.isValid(name, xs.limits().pathMax)) {
            throw xs.fail(Errno.EINVAL);
        }
        Node node = null;
        try {
            node = read(conn, name);
            if ((accessFor(conn, node.perms) & perm) != perm) {
                xs.errno(Errno.EACCES);
                node = null;
            }
        } catch (XsError e) {
            // errno holds why
        }
        if (node != null) {
            return node;
        }
        Errno e = xs.errno();
        if (e == null || !e.alwaysPropagated()) {
            e = errnoFromParents(conn, name, e, perm);
            xs.errno(e);
        }
        throw new XsError(e == null ? Errno.EINVAL : e);
    }

    /** {@code errno_from_parents}: {@code errnum} if the nearest existing ancestor grants any of {@code perm}. */
    private Errno errnoFromParents(Connection conn, String name, Errno errnum, int perm) {
        if (errnum == Errno.ENOMEM) {
            return errnum;
        }
        Node ancestor = null;
        String n = name;
        do {
            n = NodePaths.parent(n);
            try {
                ancestor = read(conn, n);
                break;
            } catch (XsError e) {
                if (e.errno.alwaysPropagated()) {
                    return e.errno;
                }
            }
        } while (!n.equals("/"));
        int parentPerm;
        if (ancestor == null) {
            LOG.log(Level.WARNING, "no permissions at the root");
            parentPerm = Perm.NONE;
        } else {
            parentPerm = accessFor(conn, ancestor.perms);
        }
        return (parentPerm & perm) != 0 ? errnum : Errno.EACCES;
    }

    /** {@code transaction_prepend}: the key {@code conn} reads {@code name} under. */
    private static String keyOf(Connection conn, String name) {
        if (conn != null && conn.transaction != null) {
            AccessedNode a = conn.transaction.accessed.get(name);
            if (a != null) {
                return a.transactionKey;
            }
        }
        return name;
    }

    // ---- transactions' bookkeeping

    /**
     * {@code access_node}: a change takes a new generation; inside a transaction the node is recorded (a
     * first read copies it into the transaction, so the transaction keeps seeing that version).
     *
     * @return the key to write or delete under; null for a delete of a node the transaction never saw
     * @throws XsError ENOSPC over the transaction-nodes quota (the transaction then fails)
     */
    String access(Connection conn, Node node, Access type) throws XsError {
        if (type != Access.READ) {
            node.generation = xs.nextGeneration();
        }
        Transaction t = conn == null ? null : conn.transaction;
        if (t == null) {
            return node.name;
        }
        AccessedNode a = t.accessed.get(node.name);
        boolean introduced = false;
        if (a == null) {
            if (t.nodes >= xs.limits().transactionNodes && conn.unprivileged()) {
                t.fail = true;
                throw xs.fail(Errno.ENOSPC);
            }
            a = new AccessedNode(t.keyOf(node.name), node.name);
            if (node.generation != Node.NO_GENERATION && node.perms != null) {
                a.perms = node.perms;
            }
            introduced = true;
            node.accountedSize = -1;
            if (type == Access.READ) {
                a.generation = node.generation;
                a.checkGeneration = true;
                if (node.generation != Node.NO_GENERATION) {
                    try {
                        writeRaw(conn, a.transactionKey, node, true);
                    } catch (XsError e) {
                        t.fail = true;
                        throw xs.fail(e.errno);
                    }
                    a.hasCopy = true;
                }
            }
            t.nodes++;
            t.accessed.put(node.name, a);
        }
        if (type != Access.READ) {
            a.modified = true;
        }
        if (introduced && type == Access.DELETE) {
            return null;
        }
        if (type == Access.WRITE) {
            a.hasCopy = true;
        } else if (type == Access.DELETE) {
            a.hasCopy = false;
        }
        return a.transactionKey;
    }

    // ---- writing

    /**
     * {@code write_node}: takes a new generation and stores the node (inside a transaction, its copy).
     *
     * @throws XsError ENOSPC over the node-size quota; EIO if the owner is over its memory quota
     */
    void write(Connection conn, Node node, boolean noQuotaCheck) throws XsError {
        node.key = access(conn, node, Access.WRITE);
        try {
            writeRaw(conn, node.key, node, noQuotaCheck);
        } catch (XsError e) {
            if (conn != null && conn.transaction != null) {
                conn.transaction.fail = true;
            }
            throw e;
        }
    }

    /** {@code write_node_raw}: stores the node under {@code key}, checking the node-size quota. */
    void writeRaw(Connection conn, String key, Node node, boolean noQuotaCheck) throws XsError {
        node.perms = xs.domains().adjust(node.perms, node.generation);
        NodeRecord r = node.record();
        if (!noQuotaCheck && conn != null && conn.unprivileged() && r.size() >= xs.limits().nodeSize) {
            throw xs.fail(Errno.ENOSPC);
        }
        try {
            xs.db().write(conn, key, r, node, noQuotaCheck);
        } catch (XsError e) {
            // xenstored answers EIO here and leaves errno alone
            throw new XsError(Errno.EIO);
        }
    }

    // ---- creating

    /**
     * {@code create_node}: makes {@code name} with value {@code data}, and each missing parent with an empty
     * value, inheriting the parent's permissions (owned by the creator if unprivileged). Writes bottom-up;
     * on failure removes what it wrote.
     *
     * @throws XsError ENOSPC over the node or node-size quota, ENOENT/EIO from reading or writing
     */
    Node create(Connection conn, String name, byte[] data) throws XsError {
        Node node = construct(conn, name);
        if (conn != null && conn.transaction != null) {
            conn.transaction.nodeCreated = true;
        }
        node.data = data;
        Node i = node;
        XsError failure = null;
        for (; i != null; i = i.parent) {
            if (i.parent != null && xs.domains().entries(conn) >= xs.limits().nodes) {
                failure = new XsError(Errno.ENOSPC);
                break;
            }
            try {
                write(conn, i, false);
            } catch (XsError e) {
                failure = e;
                break;
            }
            if (i.parent != null) {
                try {
                    xs.domains().entryInc(conn, i);
                } catch (XsError e) {
                    xs.db().delete(conn, i.key, i);
                    throw e;
                }
            }
        }
        if (failure == null) {
            return node;
        }
        for (Node j = node; j != i; j = j.parent) {
            destroy(conn, j);
        }
        throw xs.fail(failure.errno);
    }

    /** {@code construct_node}: the new node and its missing parents, linked to the nearest existing one. */
    private Node construct(Connection conn, String name) throws XsError {
        List<String> names = new ArrayList<>();
        String parentName = name;
        Node parent = null;
        while (parent == null) {
            names.add(parentName);
            parentName = NodePaths.parent(parentName);
            try {
                parent = read(conn, parentName);
            } catch (XsError e) {
                if (e.errno != Errno.ENOENT || parentName.equals("/")) {
                    throw e;
                }
            }
        }
        Node node = null;
        for (int level = names.size(); level > 0; level--) {
            String n = names.get(level - 1);
            parent.addChild(n);
            node = new Node(n);
            node.perms = conn != null && conn.unprivileged() ? parent.perms.withOwner(conn.id) : parent.perms;
            node.accountedSize = 0;
            node.parent = parent;
            parent = node;
        }
        return node;
    }

    /** {@code destroy_node}: undoes one node's creation. */
    private void destroy(Connection conn, Node node) {
        xs.db().delete(conn, node.key, node);
        xs.domains().entryDec(conn, node);
        if (conn != null && conn.transaction != null) {
            conn.transaction.fail = true;
        }
    }

    // ---- removing

    /**
     * {@code rm_node}: removes {@code name} and everything below, children before parents, each removal
     * firing the watches on exactly that node (the top node fires as a change of its subtree), then takes the
     * name out of its parent's child list.
     *
     * @throws XsError EINVAL if the parent cannot be read; ENOSPC over the transaction-nodes quota
     */
    void remove(Connection conn, String name) throws XsError {
        Node parent;
        try {
            parent = read(conn, NodePaths.parent(name));
        } catch (XsError e) {
            throw e.errno.alwaysPropagated() ? e : xs.fail(Errno.EINVAL);
        }
        Node root = read(conn, name);
        walkRemoving(conn, root, name);
        deleteChild(conn, parent, NodePaths.basename(name));
    }

    /** Post-order removal of {@code node}'s subtree; returns false if a removal stopped the walk. */
    private boolean walkRemoving(Connection conn, Node node, String root) throws XsError {
        node.childOffset = 0;
        while (node.childOffset < node.children.length) {
            int len = CStrings.stringLength(node.children, node.childOffset);
            String childName = NodePaths.child(node.name,
                    CStrings.text(node.children, node.childOffset, node.childOffset + len - 1));
            int entry = node.childOffset;
            node.childOffset += len;
            Node child;
            try {
                child = read(conn, childName);
            } catch (XsError e) {
                LOG.log(Level.WARNING, "child " + childName + " of " + node.name + " is missing");
                throw xs.fail(Errno.EIO);
            }
            child.parent = node;
            if (!walkRemoving(conn, child, root)) {
                return false;
            }
            // WALK_TREE_RM_CHILDENTRY: the entry goes from the parent, written back
            node.removeChildEntry(entry);
            node.childOffset = entry;
            try {
                write(conn, node, true);
            } catch (XsError e) {
                LOG.log(Level.WARNING, "child entry could not be removed from " + node.name);
                throw xs.fail(Errno.EIO);
            }
        }
        return deleteOne(conn, node, root);
    }

    /** {@code delnode_sub}: deletes one node, fires its watches, refunds its owner. */
    private boolean deleteOne(Connection conn, Node node, String root) throws XsError {
        String key;
        try {
            key = access(conn, node, Access.DELETE);
        } catch (XsError e) {
            throw e; // the walk stops; rm answers this errno
        }
        if (key != null) {
            xs.db().delete(conn, key, node);
        }
        xs.watches().fire(conn, node.name, node, !root.equals(node.name), null);
        xs.domains().entryDec(conn, node);
        return true;
    }

    /** {@code delete_child}: takes {@code base} out of {@code parent}'s child list and writes the parent. */
    private void deleteChild(Connection conn, Node parent, String base) throws XsError {
        int entry = parent.childEntry(base);
        if (entry < 0) {
            LOG.log(Level.WARNING, "can't find child '" + base + "' in " + parent.name);
            throw xs.fail(Errno.EIO);
        }
        parent.removeChildEntry(entry);
        try {
            write(conn, parent, true);
        } catch (XsError e) {
            throw xs.fail(Errno.EIO);
        }
        xs.errno(null); // xenstored sets errno to 0 here
    }
}
