package org.jxenbus.xenstore.sim.internal.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.jxenbus.xenstore.spi.wire.XsMessage;

/**
 * One client of the simulated xenstored ({@code struct connection}): a socket-like connection (privileged,
 * domain 0's implicit path) or a domain's ring. Holds its watches, its open transactions, its inbox of
 * requests and its outbox. Everything except the inbox, outbox and {@link #frontend} belongs to the engine
 * thread.
 */
public final class Connection {

    final Engine engine;
    final int id;
    /** The domain whose ring this is; null for a socket-like connection. */
    final Domain domain;
    final ConnectionWatches watches = new ConnectionWatches();
    final List<Transaction> transactions = new ArrayList<>();
    final Outbox outbox = new Outbox();
    private final ConcurrentLinkedQueue<XsMessage> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inboxSize = new AtomicInteger();
    Connection target;
    /**
     * talloc references to this connection ({@code SET_TARGET} takes one each time), most recent first: a
     * connection with references survives being freed, which only drops the most recent one.
     */
    final java.util.ArrayDeque<Connection> referencedBy = new java.util.ArrayDeque<>();
    int nextTransactionId;
    int transactionsStarted;
    /** The transaction of the request being processed, if any. */
    Transaction transaction;
    /** The reply slot of the request being processed ({@code conn->in}); null once answered. */
    OutMessage in;
    boolean ignored;
    /**
     * A RELEASE while xenstored's loop held its connection (it was next after the requester): the free
     * happens when the loop gets to this connection, after the requester's reply.
     */
    boolean freeDeferred;
    /** The engine is processing one of this connection's requests (its quotas are not yet up to date). */
    volatile boolean busy;
    /** Published for the ring frontend: whether quotas let the next request be read now. */
    volatile boolean readable = true;
    /** The ring this connection is served on, if any. */
    Hypervisor.RingAttachment ring;
    boolean closed;
    private volatile Frontend frontend;

    Connection(Engine engine, Domain domain, Frontend frontend) {
        this.engine = engine;
        this.domain = domain;
        this.id = domain == null ? 0 : domain.domid;
        this.frontend = frontend;
    }

    int id() {
        return id;
    }

    /** {@code domain_is_unprivileged}: a ring of a domain other than 0 (the privileged domain). */
    boolean unprivileged() {
        return domain != null && domain.domid != 0;
    }

    boolean hasTarget() {
        return target != null;
    }

    int targetId() {
        return target.id;
    }

    /** The prefix of relative paths ({@code get_implicit_path}). */
    String implicitPath() {
        return domain == null ? "/local/domain/0" : domain.path;
    }

    /** A frontend: queues a request and wakes the engine. Any thread. */
    public void submit(XsMessage request) {
        inbox.add(request);
        inboxSize.incrementAndGet();
        engine.wake();
    }

    /** Requests waiting to be processed. Any thread. */
    public int pendingRequests() {
        return inboxSize.get();
    }

    XsMessage nextRequest() {
        XsMessage m = inbox.poll();
        if (m != null) {
            inboxSize.decrementAndGet();
        }
        return m;
    }

    boolean hasRequest() {
        return inboxSize.get() > 0;
    }

    void dropRequests() {
        while (nextRequest() != null) {
            // discarded with the connection's state
        }
    }

    /**
     * A frontend that hands messages over at once (in the same JVM): the next message, already counted as
     * written, or null. Any thread.
     */
    public XsMessage takeWritten() {
        OutMessage m = outbox.take();
        if (m == null) {
            return null;
        }
        engine.written(this, m);
        return m.message;
    }

    /** A frontend: takes the next message with its handle, for a later {@link #written}. Any thread. */
    public Object takeHandle() {
        return outbox.take();
    }

    /** The message of a handle from {@link #takeHandle}. */
    public static XsMessage messageOf(Object handle) {
        return ((OutMessage) handle).message;
    }

    /** A frontend: the message of {@code handle} is completely written. Any thread. */
    public void written(Object handle) {
        engine.written(this, (OutMessage) handle);
    }

    /** A frontend: whether messages wait to be taken. Any thread. */
    public boolean hasOutput() {
        return outbox.hasQueued();
    }

    Frontend frontend() {
        return frontend;
    }

    /** A frontend: from now on this connection's output goes to {@code f}. */
    public void frontendAttach(Frontend f) {
        frontend = f;
    }

    /**
     * Whether the engine would take this connection's next request now: none waiting or being processed, and
     * quotas letting it. Any thread.
     */
    public boolean wantsRequest() {
        return inboxSize.get() == 0 && !busy && readable;
    }

    void frontend(Frontend f) {
        frontend = f;
    }

    @Override
    public String toString() {
        return domain == null ? "socket connection" : "connection of " + domain;
    }
}
