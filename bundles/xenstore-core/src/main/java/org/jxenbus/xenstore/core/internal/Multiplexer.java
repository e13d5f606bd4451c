package org.jxenbus.xenstore.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jxenbus.xenstore.api.ConflictException;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.ConnectionStatistics;
import org.jxenbus.xenstore.api.RequestMetrics;
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
import org.jxenbus.xenstore.spi.wire.Payloads;
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

    private final MetricsRecorder metrics = new MetricsRecorder();
    private final Link link;
    private final ConnectionGate gate = new ConnectionGate();
    /** The in-flight window: the configured one, or the transport's default where the options say 0. */
    private volatile int maxInFlight;
    private volatile long timeoutNanos;
    private final RequestIdAllocator ids;
    private final Map<Integer, PendingRequest> pending = new ConcurrentHashMap<>();
    private final Deque<PendingRequest> queue = new ConcurrentLinkedDeque<>();
    /** Requests the gate withholds while suspended, in order; I/O thread only. */
    private final Deque<PendingRequest> held = new ArrayDeque<>();
    private volatile boolean sessionRestorePending;
    /** See {@link #moved()}. */
    private long moved;
    private final ResizableLimit queueRoom;
    private final WatchRouter watches;
    private final IoThread io;
    private final LongAdder sent = new LongAdder();
    private final LongAdder matched = new LongAdder();
    private final LongAdder lateReplies = new LongAdder();
    private final LongAdder compensations = new LongAdder();
    private final LongAdder restores = new LongAdder();
    private final RateLimitedLog restoreFailures = new RateLimitedLog(LOG, Level.WARNING, TimeUnit.SECONDS.toNanos(10));
    private final RateLimitedLog unknownReplies = new RateLimitedLog(LOG, Level.WARNING, TimeUnit.SECONDS.toNanos(10));
    private final RateLimitedLog compensationFailures = new RateLimitedLog(LOG, Level.WARNING,
            TimeUnit.SECONDS.toNanos(10));
    private volatile XenstoreException failure;
    private volatile XenstoreException refusal;
    /**
     * No deadline of a request in the connection comes before this ({@link System#nanoTime} order): {@link #expire}
     * looks at the requests only once it passed, not at every turn of the I/O loop. Lowered by every request
     * entering the queue, from any thread.
     */
    private final AtomicLong nextExpiry = new AtomicLong(System.nanoTime());

    Multiplexer(Link link, ConnectionOptions options, int firstRequestId) {
        this.link = link;
        Transport first = link.transport();
        this.maxInFlight = window(options);
        this.timeoutNanos = options.requestTimeout().toNanos();
        this.ids = new RequestIdAllocator(firstRequestId);
        this.queueRoom = new ResizableLimit(options.maxQueued(), false);
        this.watches = new WatchRouter(this);
        this.io = new IoThread(link, this, options);
        this.sessionRestorePending = first.info().resetOnClose();
    }

    private int window(ConnectionOptions options) {
        return options.maxInFlight() > 0 ? options.maxInFlight() : link.transport().info().defaultMaxInFlight();
    }

    /**
     * Applies changed options: a new in-flight window (written requests beyond a smaller one are answered
     * as usual, no new one is written until under it), request timeout (for requests submitted from now on),
     * submission queue bound, I/O thread linger and reconnection. Any thread.
     */
    void reconfigure(ConnectionOptions options) {
        timeoutNanos = options.requestTimeout().toNanos();
        queueRoom.resize(options.maxQueued());
        io.reconfigure(options);
        maxInFlight = window(options); // last: whoever sees the new window (statistics) sees the rest applied
        if (hasWritable()) {
            io.requestPending(); // a wider window lets queued requests go now
        }
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
        return submit(type, txId, 0, 0, payload, description, timeoutNanos, settlement);
    }

    /**
     * Queues a request of a transaction begun in gate generation {@code generation} and server session
     * {@code session}; see {@link #submit(XsMessageType, int, byte[], String, long, PendingRequest.Settlement)}.
     */
    PendingRequest submit(XsMessageType type, int txId, int generation, int session, byte[] payload,
            String description, long timeoutNanos, PendingRequest.Settlement settlement) {
        long now = System.nanoTime();
        PendingRequest r = new PendingRequest(type, txId, generation, session, false, payload, description, now,
                timeoutNanos, true, settlement);
        metrics.count(r);
        // One stage for both: abandoned if it fails before it is taken, and told to the metrics.
        r.reply.whenComplete((m, t) -> {
            if (t != null) {
                r.abandon();
            }
            metrics.completed(now, t);
        });
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
        queueAbandonable(r);
        return r;
    }

    /**
     * Queues a request the connection makes on its own to undo what a late reply left open on the server.
     * Never blocks: it does not wait for room in the submission queue.
     */
    void compensate(XsMessageType type, int txId, byte[] payload, String description,
            PendingRequest.Settlement settlement) {
        PendingRequest r = new PendingRequest(type, txId, gate.generation(), link.session(), true, payload,
                "compensation " + description, System.nanoTime(), timeoutNanos, false, settlement);
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
            returnRoom(r);
            refuse(r, failed(r.description, why));
        }
    }

    /** A last request on a closing connection (RESET_WATCHES), past the refusal of new ones. */
    PendingRequest submitFarewell(XsMessageType type, byte[] payload, String description, long timeoutNanos) {
        PendingRequest r = new PendingRequest(type, 0, 0, 0, true, payload, description, System.nanoTime(),
                timeoutNanos, false, PendingRequest.Settlement.NONE);
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
        queueAbandonable(r);
    }

    /** Queues a request already made abandonable (dropped if its future fails before it is taken). */
    private void queueAbandonable(PendingRequest r) {
        expireNoLaterThan(r.deadlineNanos);
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
        if (gate.state() == ConnectionGate.State.OPEN) {
            returnHeld();
        }
        if (sessionRestorePending) {
            restoreSession();
        }
        while (pending.size() < maxInFlight) {
            PendingRequest r = queue.poll();
            if (r == null) {
                return null;
            }
            returnRoom(r);
            if (!gate.admits(r)) {
                held.add(r);
                continue;
            }
            if (r.txId != 0 && !r.internal && settledAsStale(r)) {
                continue;
            }
            int id = ids.allocate(pending::containsKey);
            if (!r.markWritten(id)) {
                r.settle(null, false);
                continue;
            }
            pending.put(id, r);
            sent.increment();
            moved++;
            return r.message();
        }
        return null;
    }

    private void returnRoom(PendingRequest r) {
        if (r.holdsQueueRoom && !r.roomReturned) {
            r.roomReturned = true;
            queueRoom.release();
        }
    }

    /** The gate opened: what it held goes back to the front of the queue, in order. */
    private void returnHeld() {
        for (PendingRequest r; (r = held.pollLast()) != null;) {
            queue.addFirst(r);
        }
    }

    /**
     * A request of a transaction from before a suspension or a lost connection. If the server forgot the
     * transaction (a new session), an abort succeeds and anything else is EAGAIN, answered here. If the
     * server still has it, its operations are EAGAIN and a commit is sent as an abort (so the server lets go
     * of it) and answered with EAGAIN.
     *
     * @return whether the request was settled here (not to be written)
     */
    private boolean settledAsStale(PendingRequest r) {
        boolean end = r.type == XsMessageType.XS_TRANSACTION_END;
        boolean abort = end && r.payload.length > 0 && r.payload[0] == 'F';
        if (r.session != link.session()) {
            if (abort) {
                XsMessage ok = new XsMessage(r.type.code(), 0, r.txId, Payloads.strings("OK"));
                r.reply.complete(ok);
                r.settle(ok, false);
            } else {
                r.reply.completeExceptionally(stale(r, "the connection to the store was replaced"));
                r.settle(null, false);
            }
            return true;
        }
        if (r.generation == gate.generation() || abort) {
            return false;
        }
        if (end) {
            r.abortInstead = true;
            return false;
        }
        r.reply.completeExceptionally(stale(r, "the connection was suspended"));
        r.settle(null, false);
        return true;
    }

    private static ConflictException stale(PendingRequest r, String why) {
        return new ConflictException(r.description + ": transaction " + Integer.toUnsignedString(r.txId)
                + " is stale (" + why + " since it began); run it again", "EAGAIN");
    }

    /**
     * The transport failed and is being replaced: what was written cannot be answered on the next one.
     * Reads outside transactions, WATCH and TRANSACTION_START go back to the front of the queue; UNWATCH
     * and aborts are done (the server forgot it all); other requests of transactions are EAGAIN; commits and
     * other changes report {@link OutcomeUnknownException}, naming {@code cause}. Transactions become stale. I/O
     * thread only.
     */
    void connectionLost(XenstoreException cause) {
        gate.newGeneration();
        List<PendingRequest> again = new ArrayList<>();
        List<PendingRequest> written = new ArrayList<>(pending.values());
        pending.clear();
        written.sort(java.util.Comparator.comparingLong(r -> r.deadlineNanos - r.timeoutNanos));
        for (PendingRequest r : written) {
            if (r.reply.isDone()) {
                r.settle(null, false);
            } else if (writtenAgain(r)) {
                if (r.requeue()) {
                    again.add(r);
                } else {
                    r.settle(null, false);
                }
            } else {
                settleLost(r, cause);
            }
        }
        for (int i = again.size() - 1; i >= 0; i--) {
            queue.addFirst(again.get(i));
        }
        sessionRestorePending = true;
    }

    private static boolean writtenAgain(PendingRequest r) {
        if (r.txId != 0) {
            return false;
        }
        return r.type.idempotent() || r.type == XsMessageType.XS_WATCH
                || r.type == XsMessageType.XS_TRANSACTION_START;
    }

    private void settleLost(PendingRequest r, XenstoreException cause) {
        boolean end = r.type == XsMessageType.XS_TRANSACTION_END;
        boolean abort = end && r.payload.length > 0 && r.payload[0] == 'F';
        if (r.type == XsMessageType.XS_UNWATCH || (abort && !r.abortInstead)) {
            XsMessage ok = new XsMessage(r.type.code(), 0, r.txId, Payloads.strings("OK"));
            r.reply.complete(ok);
            r.settle(ok, false);
            return;
        }
        // A commit written may have been applied before the loss: running the transaction again could apply it twice.
        boolean commitWritten = end && !abort && !r.abortInstead;
        XenstoreException why = r.txId != 0 && !commitWritten ? stale(r, "the connection to the store was lost")
                : new OutcomeUnknownException(r.description + ": the connection was lost: " + cause.getMessage(),
                        OutcomeUnknownException.Reason.CONNECTION_LOST);
        r.reply.completeExceptionally(why);
        r.settle(null, false);
    }

    /** A new session: RESET_WATCHES if the server may hold an earlier client's state, then every watch again. */
    private void restoreSession() {
        sessionRestorePending = false;
        List<PendingRequest> first = SessionRestore.requests(link.transport().info().resetOnClose(),
                watches.establishedWatches(), timeoutNanos, (reply, late) -> {
                    if (reply == null || reply.type() == XsMessageType.XS_ERROR.code()) {
                        restoreFailures.log("a watch could not be set again on the new session"
                                + (reply == null ? "" : ": " + new String(reply.payload(),
                                        java.nio.charset.StandardCharsets.US_ASCII).replace("\0", "")), null);
                    }
                });
        for (int i = first.size() - 1; i >= 0; i--) {
            PendingRequest r = first.get(i);
            r.reply.whenComplete((m, t) -> {
                if (t != null) {
                    r.abandon();
                }
            });
            expireNoLaterThan(r.deadlineNanos);
            queue.addFirst(r);
        }
        restores.increment();
    }

    /** Asks for a session restore at the next take (a new transport or an in-place reset while suspended). */
    void sessionChanged() {
        sessionRestorePending = true;
    }

    /**
     * Routes one received message. Everything that may fail (a parse, an allocation) happens before any
     * state changes, so when this throws the frame decoder offers the same message again and nothing is
     * lost or done twice.
     */
    @Override
    public void deliver(XsMessage m) {
        route(m);
        moved++; // only once routed: a message that keeps failing is no progress
    }

    /**
     * Messages taken for writing or routed so far: the I/O thread's measure of progress between faults. I/O
     * thread only.
     */
    long moved() {
        return moved;
    }

    private void route(XsMessage m) {
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
        if (r.abortInstead) {
            error = stale(r, "the connection was suspended");
        } else if (m.txId() != r.txId) {
            // xenstored answers with the request's own header, tx_id included (and so does Linux's xenbus device):
            // a reply naming another transaction was not written for this request.
            error = new ProtocolViolationException(r.description + ": reply for transaction "
                    + Integer.toUnsignedString(m.txId()) + " to a request " + (r.txId == 0 ? "outside transactions"
                            : "of transaction " + Integer.toUnsignedString(r.txId)), null);
        } else if (m.type() == XsMessageType.XS_ERROR.code()) {
            error = serverError(r, m);
        } else if (m.type() != r.type.code()) {
            error = new ProtocolViolationException(r.description + ": reply of "
                    + (XsMessageType.ofCode(m.type()) == null ? "unknown " : "type ") + XsMessageType.nameOf(m.type())
                    + " to a request of type " + r.type.name(), null);
        }
        faults.at(DeliveryStep.COMPLETE);
        pending.remove(m.reqId());
        matched.increment();
        boolean delivered = error != null ? r.reply.completeExceptionally(error) : r.reply.complete(m);
        boolean late = !delivered || r.wasUnclaimed(); // completing ran the verb's stage, which tells if it took it
        if (late) {
            lateReplies.increment();
        }
        r.settle(m, late);
        Thread.interrupted(); // completions run callers' dependent stages here
    }

    /**
     * Fails every request whose deadline passed; a written one keeps its id until its reply comes. Looks at the
     * requests only once the earliest deadline seen or submitted since the last look has come.
     *
     * @return the earliest deadline still ahead, or a time far ahead if none
     */
    long expire(long now) {
        long due = nextExpiry.get();
        if (now - due < 0) {
            return due;
        }
        // Pushed far ahead before the look, so that a request queued meanwhile, which the look may miss, lowers it.
        nextExpiry.set(now + Long.MAX_VALUE / 2);
        long earliest = now + Long.MAX_VALUE / 2;
        for (PendingRequest r : pending.values()) {
            earliest = expireIfDue(r, now, earliest);
        }
        for (PendingRequest r : queue) {
            earliest = expireIfDue(r, now, earliest);
        }
        for (PendingRequest r : held) {
            earliest = expireIfDue(r, now, earliest);
        }
        expireNoLaterThan(earliest);
        return nextExpiry.get();
    }

    /** Makes {@link #expire} look again by {@code deadline} at the latest. Any thread. */
    private void expireNoLaterThan(long deadline) {
        for (long due = nextExpiry.get(); deadline - due < 0; due = nextExpiry.get()) {
            if (nextExpiry.compareAndSet(due, deadline)) {
                return;
            }
        }
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
        return queue.isEmpty() && held.isEmpty() && pending.isEmpty() && watches.isEmpty() && !sessionRestorePending;
    }

    /** Whether a queued request could be written now. */
    boolean hasWritable() {
        return (!queue.isEmpty() || sessionRestorePending) && pending.size() < maxInFlight;
    }

    /** Whether any request waits for a reply or for the window (the I/O thread must watch deadlines). */
    boolean hasRequests() {
        return !pending.isEmpty() || !queue.isEmpty() || !held.isEmpty();
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
        for (PendingRequest r; (r = held.poll()) != null;) {
            refuse(r, failed(r.description, cause));
        }
        watches.clear();
    }

    boolean failed() {
        return failure != null;
    }

    private void drainQueue(XenstoreException cause) {
        for (PendingRequest r; (r = queue.poll()) != null;) {
            returnRoom(r);
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
        return link.transport().info().maxPayload();
    }

    ConnectionGate gate() {
        return gate;
    }

    Link link() {
        return link;
    }

    /** Whether nothing written waits for its reply (the gate may close). */
    boolean drained() {
        return pending.isEmpty();
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    RequestMetrics metrics() {
        return metrics.snapshot();
    }

    ConnectionStatistics statistics() {
        return new ConnectionStatistics(sent.sum(), matched.sum(), unknownReplies.occurrences(),
                watches.delivered(), watches.unknown(), pending.size(), queue.size(), maxInFlight, lateReplies.sum(),
                compensations.sum(), io.faults(), unknownReplies.linesWritten() + compensationFailures.linesWritten()
                        + watches.logLinesWritten() + io.logLinesWritten() + restoreFailures.linesWritten(),
                link.transport().counters());
    }
}
