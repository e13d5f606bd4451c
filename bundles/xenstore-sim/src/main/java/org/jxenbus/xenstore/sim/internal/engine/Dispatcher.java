package org.jxenbus.xenstore.sim.internal.engine;

import java.util.EnumMap;
import java.util.Map;

import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * {@code process_message}: the checks every request passes before its handler, in xenstored's order
 * (an unknown or unsupported type is ENOSYS; a privileged type from an unprivileged domain EACCES; an
 * unknown transaction id ENOENT), then the handler; its error becomes the reply. Engine thread only.
 */
final class Dispatcher {

    private final Xenstored xs;
    private final Map<XsMessageType, RequestHandler> handlers = new EnumMap<>(XsMessageType.class);

    Dispatcher(Xenstored xs) {
        this.xs = xs;
    }

    void handle(XsMessageType type, RequestHandler handler) {
        handlers.put(type, handler);
    }

    /** Processes one request of {@code conn} and queues its reply. */
    void process(Connection conn, XsMessage request) {
        OutMessage slot = OutMessage.replyTo(conn.id);
        slot.message = request;
        conn.in = slot;
        try {
            XsMessageType type = request.knownType();
            RequestHandler handler = type == null ? null : handlers.get(type);
            if (handler == null) {
                xs.output().error(conn, Errno.ENOSYS);
                return;
            }
            if (type.privileged() && conn.unprivileged()) {
                xs.output().error(conn, Errno.EACCES);
                return;
            }
            Transaction t = null;
            if (!type.ignoresTransaction() && request.txId() != 0) {
                t = TransactionRequests.find(conn, request.txId());
                if (t == null) {
                    xs.output().error(conn, Errno.ENOENT);
                    return;
                }
            }
            conn.transaction = t;
            try {
                handler.handle(conn, request);
            } catch (XsError e) {
                xs.output().error(conn, e.errno);
            } finally {
                conn.transaction = null;
            }
            if (conn.in != null) {
                // xenstored would assert here (a handler answering nothing, seen after a stale errno 0)
                xs.output().error(conn, Errno.EINVAL);
            }
        } finally {
            conn.in = null;
        }
    }
}
