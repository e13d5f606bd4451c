package org.jxenbus.xenstore.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.ConnectionStatistics;
import org.jxenbus.xenstore.api.ProtocolViolationException;
import org.jxenbus.xenstore.api.TransportFailureException;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.api.XenstoreInterruptedException;
import org.jxenbus.xenstore.api.XenstoreTimeoutException;
import org.jxenbus.xenstore.spi.transport.IncomingMessages;
import org.jxenbus.xenstore.spi.transport.OutgoingMessages;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.XsErrors;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * Turns calls into requests and replies into results, after Linux's xenbus_xs.c: callers queue requests;
 * the connection's one I/O thread ({@link IoThread}) takes them within the in-flight window, gives each a
 * request id no other waiting request holds, registers it in the pending table before its first byte is
 * written, and routes what it reads: watch events by type to the {@link WatchRouter}, replies by request
 * id to their waiting request.
 *
 * <p>Thread-safe: {@link #submit} from any thread; {@link #take} and {@link #deliver} only on the I/O
 * thread.
 */
final class Multiplexer implements OutgoingMessages, IncomingMessages {

    private static final Logger LOG = System.getLogger(Multiplexer.class.getName());

    private final Transport transport;
    private final int maxInFlight;
    private final long timeoutNanos;
    private final RequestIdAllocator ids;
    private final Map<Integer, PendingRequest> pending = new ConcurrentHashMap<>();
    private final Queue<PendingRequest> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore queueRoom;
    private final WatchRouter watches;
    private final IoThread io;
    private final LongAdder sent = new LongAdder();
    private final LongAdder matched = new LongAdder();
    private final RateLimitedLog unknownReplies = new RateLimitedLog(LOG, Level.WARNING, TimeUnit.SECONDS.toNanos(10));
    private volatile XenstoreException failure;

    Multiplexer(Transport transport, ConnectionOptions options, int firstRequestId) {
        this.transport = transport;
        this.maxInFlight = options.maxInFlight() > 0 ? options.maxInFlight() : transport.info().defaultMaxInFlight();
        this.timeoutNanos = options.requestTimeout().toNanos();
        this.ids = new RequestIdAllocator(firstRequestId);
        this.queueRoom = new Semaphore(options.maxQueued());
        this.watches = new WatchRouter(this);
        this.io = new IoThread(transport, this, options.idleLinger().toNanos());
    }

    /**
     * Queues a request. The future completes with the reply message, or exceptionally with the typed
     * server error, a timeout, or a transport failure. Never blocks, except while the queue is full.
     */
    CompletableFuture<XsMessage> submit(XsMessageType type, int txId, byte[] payload, String description) {
        long now = System.nanoTime();
        PendingRequest r = new PendingRequest(type, txId, payload, description, now + timeoutNanos);
        XenstoreException broken = failure;
        if (broken != null) {
            r.reply.completeExceptionally(failed(description, broken));
            return r.reply;
        }
        try {
            if (!queueRoom.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                r.reply.completeExceptionally(new XenstoreTimeoutException(description
                        + ": the submission queue stayed full for the request timeout", null));
                return r.reply;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.reply.completeExceptionally(new XenstoreInterruptedException(description
                    + ": interrupted waiting for room in the submission queue", e));
            return r.reply;
        }
        r.reply.whenComplete((m, t) -> r.abandon());
        queue.add(r);
        broken = failure;
        if (broken != null) {
            drainQueue(broken);
        } else {
            io.requestPending();
        }
        return r.reply;
    }

    @Override
    public XsMessage take() {
        while (pending.size() < maxInFlight) {
            PendingRequest r = queue.poll();
            if (r == null) {
                return null;
            }
            queueRoom.release();
            int id = ids.allocate(pending::containsKey);
            if (!r.markWritten(id)) {
                continue;
            }
            pending.put(id, r);
            sent.increment();
            return r.message();
        }
        return null;
    }

    @Override
    public void deliver(XsMessage m) {
        if (m.type() == XsMessageType.XS_WATCH_EVENT.code()) {
            watches.deliver(m);
            return;
        }
        PendingRequest r = pending.remove(m.reqId());
        if (r == null) {
            unknownReplies.log("reply " + m + " matches no waiting request; discarded", null);
            return;
        }
        matched.increment();
        if (r.reply.isDone()) {
            return;
        }
        if (m.type() == XsMessageType.XS_ERROR.code()) {
            r.reply.completeExceptionally(serverError(r, m));
        } else if (m.type() != r.type.code()) {
            r.reply.completeExceptionally(new ProtocolViolationException(r.description + ": reply of type "
                    + XsMessageType.nameOf(m.type()) + " to a request of type " + r.type.name(), null));
        } else {
            r.reply.complete(m);
        }
    }

    /** Fails every request whose deadline passed; a written one keeps its id until its reply comes. */
    void expire(long now) {
        for (PendingRequest r : pending.values()) {
            expireIfDue(r, now);
        }
        for (PendingRequest r : queue) {
            if (!expireIfDue(r, now)) {
                break;
            }
        }
    }

    private boolean expireIfDue(PendingRequest r, long now) {
        if (now - r.deadlineNanos < 0) {
            return false;
        }
        r.reply.completeExceptionally(new XenstoreTimeoutException(r.description + ": no reply within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", null));
        return true;
    }

    /** Whether nothing is queued, waiting for a reply, or watched: the I/O thread may leave. */
    boolean idle() {
        return queue.isEmpty() && pending.isEmpty() && watches.isEmpty();
    }

    /** Whether a queued request could be written now. */
    boolean hasWritable() {
        return !queue.isEmpty() && pending.size() < maxInFlight;
    }

    /** Whether any request waits for a reply or for the window (the I/O thread must watch deadlines). */
    boolean hasRequests() {
        return !pending.isEmpty() || !queue.isEmpty();
    }

    /** The connection is unusable: fail everything now and every later submission at once. */
    void fail(XenstoreException cause) {
        if (failure == null) {
            failure = cause;
        }
        List<PendingRequest> waiting = new ArrayList<>(pending.values());
        pending.clear();
        for (PendingRequest r : waiting) {
            r.reply.completeExceptionally(failed(r.description, cause));
        }
        drainQueue(cause);
        watches.clear();
    }

    boolean failed() {
        return failure != null;
    }

    private void drainQueue(XenstoreException cause) {
        for (PendingRequest r; (r = queue.poll()) != null;) {
            queueRoom.release();
            r.reply.completeExceptionally(failed(r.description, cause));
        }
    }

    private static XenstoreException failed(String description, XenstoreException cause) {
        return new TransportFailureException(description + ": " + cause.getMessage(), null, cause);
    }

    private static XenstoreException serverError(PendingRequest r, XsMessage m) {
        try {
            return ServerErrors.of(XsErrors.parse(m.payload()), r.type, r.description);
        } catch (MalformedMessageException e) {
            return Replies.malformed(r.description, e);
        }
    }

    /** Test hook: see {@link RequestIdAllocator#restartAt}. */
    void restartRequestIdsAt(int id) {
        ids.restartAt(id);
    }

    WatchRouter watches() {
        return watches;
    }

    IoThread io() {
        return io;
    }

    int maxInFlight() {
        return maxInFlight;
    }

    int payloadLimit() {
        return transport.info().maxPayload();
    }

    ConnectionStatistics statistics() {
        return new ConnectionStatistics(sent.sum(), matched.sum(), unknownReplies.occurrences(),
                watches.delivered(), watches.unknown(), pending.size(), queue.size(), maxInFlight);
    }
}
