package org.jxenbus.xenstore.sim.internal.engine;

import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * WATCH, UNWATCH and RESET_WATCHES. A new watch is acknowledged, then fires once at once with its own path.
 * Engine thread only.
 */
final class WatchRequests {

    private final Xenstored xs;

    WatchRequests(Xenstored xs) {
        this.xs = xs;
    }

    void register(Dispatcher d) {
        d.handle(XsMessageType.XS_WATCH, this::watch);
        d.handle(XsMessageType.XS_UNWATCH, this::unwatch);
        d.handle(XsMessageType.XS_RESET_WATCHES, this::resetWatches);
    }

    private void watch(Connection conn, XsMessage in) throws XsError {
        CStrings.Strings s = CStrings.strings(in.payload(), 3);
        int depth = -1;
        if (s.count() == 3 && xs.profile().watchDepth()) {
            depth = CStrings.atoi(s.get(2));
            if (depth < 0) {
                throw new XsError(Errno.EINVAL);
            }
        } else if (s.count() != 2) {
            throw new XsError(Errno.EINVAL);
        }
        String path = s.get(0);
        String token = s.get(1);
        boolean relative;
        if (path.startsWith("@")) {
            relative = false;
            if (path.length() > XsWire.XENSTORE_REL_PATH_MAX) {
                throw xs.fail(Errno.EINVAL);
            }
        } else {
            relative = !path.startsWith("/");
            path = NodePaths.canonicalize(conn, path);
            if (!NodePaths.isValid(path, xs.limits().pathMax)) {
                throw xs.fail(Errno.EINVAL);
            }
        }
        if (conn.watches.find(path, token) != null) {
            throw new XsError(Errno.EEXIST);
        }
        if (conn.unprivileged() && conn.domain.watches > xs.limits().watches) {
            throw new XsError(Errno.E2BIG);
        }
        Watch w = new Watch(path, token, relative ? conn.implicitPath() : null, depth);
        try {
            xs.domains().memoryAdd(conn.id, w.memory(), false);
        } catch (XsError e) {
            throw xs.fail(Errno.ENOMEM);
        }
        if (conn.domain != null) {
            conn.domain.watches++;
        }
        conn.watches.add(w);
        xs.output().ack(conn, XsMessageType.XS_WATCH);
        xs.output().event(null, conn, w.eventPath(w.node()), w.token());
    }

    private void unwatch(Connection conn, XsMessage in) throws XsError {
        CStrings.Strings s = CStrings.strings(in.payload(), 2);
        if (s.count() != 2) {
            throw new XsError(Errno.EINVAL);
        }
        Watch w = conn.watches.find(NodePaths.canonicalize(conn, s.get(0)), s.get(1));
        if (w == null) {
            throw new XsError(Errno.ENOENT);
        }
        remove(conn, w);
        xs.output().ack(conn, XsMessageType.XS_UNWATCH);
    }

    private void resetWatches(Connection conn, XsMessage in) {
        // xenstored asserts (and dies) if this comes inside a transaction; here the transaction just ends.
        conn.transaction = null;
        removeAll(conn);
        xs.transactions().removeAll(conn);
        xs.output().ack(conn, XsMessageType.XS_RESET_WATCHES);
    }

    private void remove(Connection conn, Watch w) {
        conn.watches.remove(w);
        xs.domains().memoryAddUnchecked(conn.id, -w.memory());
        if (conn.domain != null && conn.domain.watches > 0) {
            conn.domain.watches--;
        }
    }

    /** {@code conn_delete_all_watches}. */
    void removeAll(Connection conn) {
        while (!conn.watches.isEmpty()) {
            remove(conn, conn.watches.first());
        }
    }
}
