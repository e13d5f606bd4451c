package org.jxenbus.xenstore.sim.internal.engine;

import org.jxenbus.xenstore.spi.wire.XsMessage;

/**
 * A reply or watch event on its way to a connection ({@code struct buffered_data} on the output side), and
 * what xenstored's outstanding-request accounting keeps with it: a reply counts the events its request
 * caused; each event points back at that reply, so the request stays outstanding until all of them are read.
 */
final class OutMessage {

    /** Where a message is: waiting in the outbox, or taken by the frontend and not yet confirmed written. */
    enum State { QUEUED, TAKEN }

    XsMessage message;
    final boolean watchEvent;
    /** For an event: the reply of the unprivileged request that caused it, or null. */
    final OutMessage cause;
    /** For a reply: the requesting domain, and its events still unread. */
    final int domid;
    int eventCount;
    boolean onOutbox;
    boolean onRefList;
    /** Engine-clock millis after which an unsent event is dropped; 0: never. */
    long expiresAt;
    State state = State.QUEUED;

    private OutMessage(XsMessage message, boolean watchEvent, OutMessage cause, int domid) {
        this.message = message;
        this.watchEvent = watchEvent;
        this.cause = cause;
        this.domid = domid;
    }

    /** The reply slot of a request being processed ({@code conn->in}); its message is set when answered. */
    static OutMessage replyTo(int domid) {
        return new OutMessage(null, false, null, domid);
    }

    static OutMessage event(XsMessage message, OutMessage cause) {
        return new OutMessage(message, true, cause, 0);
    }

    /** What it costs in memory accounting: header and payload. */
    int memory() {
        return message.wireSize();
    }
}
