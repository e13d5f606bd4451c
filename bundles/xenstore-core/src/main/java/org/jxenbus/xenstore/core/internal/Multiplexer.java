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
import org.jxenbus.xenstore.api.OutcomeUnknownException;
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
    private final LongAdder lateReplies = new LongAdder();
    private final LongAdder compensations = new LongAdder();
    private final RateLimitedLog unknownReplies = new RateLimitedLog(LOG, Level.WARNING, TimeUnit.SECONDS.toNanos(10));
    private final RateLimitedLog compensationFailures = new RateLimitedLog(LOG, Level.WARNING,
            TimeUnit.SECONDS.toNanos(10));
    private volatile XenstoreException failure;
    private volatile XenstoreException refusal;

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
     * Queues a request. Its future completes with the reply message, or exceptionally with the typed
     * server error, a timeout, or a transport failure. Never blocks, except while the submission queue is
     * full (bounded by the timeout).
     *
     * @param timeoutNanos how long the request may wait for its reply, from now
     * @param settlement told once how the request ended on the wire
     */
    PendingRequest submit(XsMessageType type, int txId, byte[] payload, String description, long timeoutNanos,
            PendingRequest.Settlement settlement) {
        PendingRequest r = new PendingRequest(type, txId, payload, description, System.nanoTime(), timeoutNanos,
                true, settlement);
        if (rejectIfFailed(r)) {
            return r;
        }
        try {
            if (!queueRoom.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                refuse(r, new XenstoreTimeoutException(description
                        + ": the submission queue stayed full for the request timeout", null));
                return r;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refuse(r, new XenstoreInterruptedException(description
                    + ": interrupted waiting for room in the submission queue", e));
            return r;
        }
        enqueue(r);
        return r;
    }

    /**
     * Queues a request the connection makes on its own to undo what a late reply left open on the server.
     * Never blocks: it does not wait for room in the submission queue.
     */
    void compensate(XsMessageType type, int txId, byte[] payload, String description,
            PendingRequest.Settlement settlement) {
        PendingRequest r = new PendingRequest(type, txId, payload, "compensation " + description, System.nanoTime(),
                timeoutNanos, false, settlement);
        compensations.increment();
        r.reply.whenComplete((m, t) -> {
            if (t != null) {
                compensationFailures.log("compensating request " + r.description + " failed: " + t.getMessage(), null);
            }
        });
        if (!rejectIfFailed(r)) {
            enqueue(r);
        }
    }

    /**
     * Refuses every later submission with {@code why} (compensations and {@link #submitFarewell} still go),
     * and fails what is queued and not yet written; what is written stays until answered.
     */
    void refuseNew(XenstoreException why) {
        refusal = why;
        for (PendingRequest r; (r = queue.poll()) != null;) {
            if (r.holdsQueueRoom) {
                queueRoom.release();
            }
            refuse(r, failed(r.description, why));
        }
    }

    /** A last request on a closing connection (RESET_WATCHES), past the refusal of new ones. */
    PendingRequest submitFarewell(XsMessageType type, byte[] payload, String description, long timeoutNanos) {
        PendingRequest r = new PendingRequest(type, 0, payload, description, System.nanoTime(), timeoutNanos, false,
                PendingRequest.Settlement.NONE);
        XenstoreException broken = failure;
        if (broken != null) {
            refuse(r, failed(description, broken));
        } else {
            enqueue(r);
        }
        return r;
    }

    /** Requests written and not yet answered (abandoned ones included). */
    int inFlight() {
        return pending.size();
    }

    private boolean rejectIfFailed(PendingRequest r) {
        XenstoreException refused = refusal;
        if (refused != null && r.holdsQueueRoom) {
            refuse(r, failed(r.description, refused));
            return true;
        }
        XenstoreException broken = failure;
        if (broken == null) {
            return false;
        }
        refuse(r, failed(r.description, broken));
        return true;
    }

    private static void refuse(PendingRequest r, XenstoreException why) {
        r.reply.completeExceptionally(why);
        r.settle(null, false);
    }

    private void enqueue(PendingRequest r) {
        r.reply.whenComplete((m, t) -> {
            if (t != null) {
                r.abandon();
            }
        });
        queue.add(r);
        XenstoreException broken = failure;
        if (broken != null) {
            drainQueue(broken);
        } else {
            io.requestPending();
        }
    }

    @Override
    public XsMessage take() {
        while (pending.size() < maxInFlight) {
            PendingRequest r = queue.poll();
            if (r == null) {
                return null;
            }
            if (r.holdsQueueRoom) {
                queueRoom.release();
            }
            int id = ids.allocate(pending::containsKey);
            if (!r.markWritten(id)) {
                r.settle(null, false);
                continue;
            }
            pending.put(id, r);
            sent.increment();
            return r.message();
        }
        return null;
    }

    /**
     * Routes one received message. Everything that may fail (a parse, an allocation) happens before any
     * state changes, so when this throws the frame decoder offers the same message again and nothing is
     * lost or done twice.
     */
    @Override
    public void deliver(XsMessage m) {
        faults.at(DeliveryStep.ROUTE);
        if (m.type() == XsMessageType.XS_WATCH_EVENT.code()) {
            watches.deliver(m);
            Thread.interrupted(); // listener code must never leave the I/O thread interrupted
            return;
        }
        PendingRequest r = pending.get(m.reqId());
        if (r == null) {
            unknownReplies.log("reply " + m + " matches no waiting request; discarded", null);
            return;
        }
        faults.at(DeliveryStep.DECODE);
        XenstoreException error = null;
        if (m.type() == XsMessageType.XS_ERROR.code()) {
            error = serverError(r, m);
        } else if (m.type() != r.type.code()) {
            error = new ProtocolViolationException(r.description + ": reply of type " + XsMessageType.nameOf(m.type())
                    + " to a request of type " + r.type.name(), null);
        }
        faults.at(DeliveryStep.COMPLETE);
        pending.remove(m.reqId());
        matched.increment();
        boolean delivered = error != null ? r.reply.completeExceptionally(error) : r.reply.complete(m);
        if (!delivered) {
            lateReplies.increment();
        }
        r.settle(m, !delivered);
        Thread.interrupted(); // completions run callers' dependent stages here
    }

    /**
     * Fails every request whose deadline passed; a written one keeps its id until its reply comes.
     *
     * @return the earliest deadline still ahead, or {@code now + Long.MAX_VALUE / 2} if none
     */
    long expire(long now) {
        long earliest = now + Long.MAX_VALUE / 2;
        for (PendingRequest r : pending.values()) {
            earliest = expireIfDue(r, now, earliest);
        }
        for (PendingRequest r : queue) {
            earliest = expireIfDue(r, now, earliest);
        }
        return earliest;
    }

    private static long expireIfDue(PendingRequest r, long now, long earliest) {
        if (r.reply.isDone()) {
            return earliest;
        }
        if (now - r.deadlineNanos < 0) {
            return r.deadlineNanos - earliest < 0 ? r.deadlineNanos : earliest;
        }
        String what = r.description + ": no reply within " + TimeUnit.NANOSECONDS.toMillis(r.timeoutNanos) + " ms";
        r.reply.completeExceptionally(r.outcomeUnknownIfAbandoned()
                ? new OutcomeUnknownException(what, OutcomeUnknownException.Reason.TIMEOUT)
                : new XenstoreTimeoutException(what, null));
        return earliest;
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
            r.settle(null, false);
        }
        drainQueue(cause);
        watches.clear();
    }

    boolean failed() {
        return failure != null;
    }

    private void drainQueue(XenstoreException cause) {
        for (PendingRequest r; (r = queue.poll()) != null;) {
            if (r.holdsQueueRoom) {
                queueRoom.release();
            }
            refuse(r, failed(r.description, cause));
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

    /** The steps of routing one message, for fault-injection tests. */
    enum DeliveryStep { ROUTE, DECODE, COMPLETE }

    /** A test seam called at each {@link DeliveryStep}; throwing simulates a failure there. */
    interface DeliveryHook {
        DeliveryHook NONE = step -> { };

        void at(DeliveryStep step);
    }

    private volatile DeliveryHook faults = DeliveryHook.NONE;

    /** Test hook: installs a {@link DeliveryHook} ({@code null} removes it). */
    void injectDeliveryFaults(DeliveryHook hook) {
        faults = hook == null ? DeliveryHook.NONE : hook;
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

    long timeoutNanos() {
        return timeoutNanos;
    }

    ConnectionStatistics statistics() {
        return new ConnectionStatistics(sent.sum(), matched.sum(), unknownReplies.occurrences(),
                watches.delivered(), watches.unknown(), pending.size(), queue.size(), maxInFlight, lateReplies.sum(),
                compensations.sum(), io.faults(), unknownReplies.linesWritten() + compensationFailures.linesWritten()
                        + watches.logLinesWritten() + io.logLinesWritten(), transport.counters());
    }
}
