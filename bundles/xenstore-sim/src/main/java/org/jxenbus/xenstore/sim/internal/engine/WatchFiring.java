package org.jxenbus.xenstore.sim.internal.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code fire_watches}: which watches a change of a node triggers and who may see the event. Inside a
 * transaction changes are only noted, and fire at commit. A connection sees an event if it may read the node
 * or its parent (or, for a permission change, could read it before); events of {@code @introduceDomain}
 * and {@code @releaseDomain} go to connections those paths' permissions let read. A change looks only at the
 * watches on its node and the paths above it ({@link ConnectionWatches}), in the order each connection set
 * them. Engine thread only.
 */
final class WatchFiring {

    private final Xenstored xs;

    WatchFiring(Xenstored xs) {
        this.xs = xs;
    }

    /**
     * A change of {@code name} by {@code conn} (null: xenstored itself). {@code exact}: only watches on
     * {@code name} itself fire (a node removed with its parent); otherwise watches on it or above.
     * {@code node}: the node as changed, if at hand; {@code oldPerms}: its permissions before a SET_PERMS.
     */
    void fire(Connection conn, String name, Node node, boolean exact, NodePerms oldPerms) {
        if (conn != null && conn.transaction != null) {
            queue(conn, name, exact);
            return;
        }
        OutMessage cause = conn != null && conn.unprivileged() ? conn.in : null;
        boolean special = name.startsWith("@");
        for (Connection i : new ArrayList<>(xs.connections())) {
            // Permission first, for every connection, as xenstored does: a failed check leaves its errno behind.
            if (special ? !xs.domains().specialReadable(name, i) : !permitted(i, name, node, oldPerms)) {
                continue;
            }
            for (Watch w : exact ? i.watches.on(name) : i.watches.onOrAbove(name)) {
                if (matches(w, name, exact, special)) {
                    xs.output().event(cause, i, w.eventPath(name), w.token());
                }
            }
        }
    }

    /**
     * Xen 4.22's second event of a special path, {@code <name>/<domid>}: watches on exactly that, and watches
     * on the special path with a depth of 1 or more ({@code MATCH_DEPTH}).
     */
    void fireSpecialOfDomain(String name, int domid) {
        String full = name + "/" + Integer.toUnsignedString(domid);
        for (Connection i : new ArrayList<>(xs.connections())) {
            if (!xs.domains().specialReadable(name, i)) {
                continue;
            }
            for (Watch w : i.watches.all()) {
                if (full.equals(w.node()) || (w.depth() > 0 && NodePaths.isChild(full, w.node(), w.depth()))) {
                    xs.output().event(null, i, w.eventPath(full), w.token());
                }
            }
        }
    }

    private boolean matches(Watch w, String name, boolean exact, boolean special) {
        if (exact) {
            return name.equals(w.node()) && (!special || w.depth() < 0 || !xs.profile().watchDepth());
        }
        return NodePaths.isChild(name, w.node(), xs.profile().watchDepth() ? w.depth() : -1);
    }

    /** {@code watch_permitted}: the node or its parent readable, or the old permissions allowing it. */
    private boolean permitted(Connection conn, String name, Node node, NodePerms oldPerms) {
        if (oldPerms != null && (oldPerms.accessFor(conn) & Perm.READ) != 0) {
            return true;
        }
        Node n = node;
        if (n == null) {
            try {
                n = xs.tree().read(conn, name);
            } catch (XsError e) {
                return false;
            }
        }
        if ((n.perms.accessFor(conn) & Perm.READ) != 0) {
            return true;
        }
        Node parent = n.parent;
        if (parent == null) {
            try {
                parent = xs.tree().read(conn, NodePaths.parent(n.name));
            } catch (XsError e) {
                return false;
            }
        }
        return (parent.perms.accessFor(conn) & Perm.READ) != 0;
    }

    /** {@code queue_watches}: noted on the transaction's record of the node; a subtree change wins. */
    private void queue(Connection conn, String name, boolean exact) {
        AccessedNode a = conn.transaction.accessed.get(name);
        if (a == null) {
            conn.transaction.fail = true;
            return;
        }
        if (!a.fireWatch) {
            a.fireWatch = true;
            a.watchExact = exact;
        } else if (!exact) {
            a.watchExact = false;
        }
    }
}
