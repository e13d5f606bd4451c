package org.jxenbus.xenstore.sim.internal.engine;

import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * Replies and watch events into connections' outboxes, with xenstored's accounting of both
 * ({@code send_reply}, {@code send_event}, {@code free_buffered_data}): each queued message is charged to
 * the connection's domain's memory until written; a domain's request stays outstanding until its reply and
 * every watch event it caused have been written; identical unsent events are not queued twice; an
 * unprivileged domain's event unsent for the watch-event timeout is dropped. Engine thread only.
 */
final class Output {

    /** {@code DEFAULT_BUFFER_SIZE}: replies this short are never refused for memory. */
    private static final int SMALL_REPLY = 16;

    private final Xenstored xs;

    Output(Xenstored xs) {
        this.xs = xs;
    }

    /** {@code send_reply}: answers the request {@code conn} is processing; a second answer is ignored. */
    void reply(Connection conn, XsMessageType type, byte[] payload) {
        if (payload.length > XsWire.XENSTORE_PAYLOAD_MAX) {
            error(conn, Errno.E2BIG);
            return;
        }
        OutMessage slot = conn.in;
        if (slot == null) {
            return;
        }
        int cost = payload.length + XsWire.HEADER_SIZE;
        if (payload.length <= SMALL_REPLY) {
            xs.domains().memoryAddUnchecked(conn.id, cost);
        } else {
            try {
                xs.domains().memoryAdd(conn.id, cost, false);
            } catch (XsError e) {
                error(conn, Errno.ENOMEM);
                return;
            }
        }
        conn.in = null;
        XsMessage request = slot.message;
        slot.message = new XsMessage(type.code(), request.reqId(), request.txId(), payload);
        slot.onOutbox = true;
        conn.outbox.add(slot);
        if (conn.domain != null) {
            conn.domain.outstanding++;
        }
        xs.outputQueued(conn);
    }

    /** {@code send_ack}: {@code OK}. */
    void ack(Connection conn, XsMessageType type) {
        reply(conn, type, CStrings.nulTerminated("OK"));
    }

    /** {@code send_error}. */
    void error(Connection conn, Errno errno) {
        reply(conn, XsMessageType.XS_ERROR, errno.payload());
    }

    /**
     * {@code send_event}: queues a watch event unless it is too long, an identical one is still unsent, or
     * the domain is over its memory quota. {@code cause}: the reply of the unprivileged request causing it.
     */
    void event(OutMessage cause, Connection conn, String path, String token) {
        byte[] payload = CStrings.nulTerminated(path, token);
        if (payload.length > XsWire.XENSTORE_PAYLOAD_MAX) {
            return;
        }
        if (!path.startsWith("@") && conn.outbox.holdsEvent(payload)) {
            return;
        }
        try {
            xs.domains().memoryAdd(conn.id, payload.length + XsWire.HEADER_SIZE, false);
        } catch (XsError e) {
            return;
        }
        OutMessage m = OutMessage.event(new XsMessage(XsMessageType.XS_WATCH_EVENT.code(), 0, 0, payload), cause);
        long timeout = xs.limits().watchEventTimeoutMillis;
        if (timeout != 0 && conn.unprivileged()) {
            m.expiresAt = xs.nowMillis() + timeout;
        }
        if (cause != null) {
            cause.eventCount++;
        }
        m.onOutbox = true;
        conn.outbox.add(m);
        xs.outputQueued(conn);
    }

    /** A frontend wrote {@code m} completely. */
    void written(Connection conn, OutMessage m) {
        if (m.onOutbox && conn.outbox.confirm(m)) {
            free(conn, m);
        }
    }

    /** {@code conn_free_buffered_data}: drops everything queued for {@code conn}. */
    void dropAll(Connection conn) {
        for (OutMessage m : conn.outbox.drain()) {
            if (m.onOutbox) {
                free(conn, m);
            }
        }
    }

    /** Drops unsent events whose time ran out. */
    void expire(Connection conn, long now) {
        for (OutMessage m : conn.outbox.expire(now)) {
            free(conn, m);
        }
    }

    /** {@code free_buffered_data}: the message left the outbox; settle its accounting. */
    private void free(Connection conn, OutMessage m) {
        m.onOutbox = false;
        xs.domains().memoryAddUnchecked(conn.id, -m.memory());
        if (m.watchEvent) {
            OutMessage cause = m.cause;
            if (cause != null) {
                cause.eventCount--;
                if (cause.eventCount == 0 && !cause.onOutbox && cause.onRefList) {
                    cause.onRefList = false;
                    Domain d = xs.domains().findIntroduced(cause.domid);
                    if (d != null) {
                        d.outstanding--;
                    }
                }
            }
        } else if (m.eventCount > 0) {
            m.onRefList = true;
        } else if (conn.domain != null) {
            conn.domain.outstanding--;
        }
    }
}
