package org.jxenbus.xenstore.core.internal;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.ProtocolViolationException;
import org.jxenbus.xenstore.api.TransportFailureException;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.spi.ring.RingCorruptedException;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;

/**
 * The connection's I/O owner, after the seed's {@code xenbus} thread: one thread writes queued requests,
 * reads replies and events, and enforces deadlines, for every transport alike (a ring needs a single owner
 * of its event channel; a socket is served as well by one thread batching its writes).
 *
 * <p>It exists only while there is work: the first request or watch starts it, and it leaves after the
 * connection has been idle (nothing queued, waiting or watched) for the linger time. Callers wake it only
 * when it is waiting, never while it runs. It is never interrupted.
 *
 * <p>When the transport fails and reconnection is on, it replaces the transport from the link's source
 * (10 ms to 2 s apart, for as long as the connection is open), expiring requests meanwhile. A transport
 * closed under it by another thread (its bundle went away) fails with an IOException and is replaced the same
 * way; one that throws unchecked exceptions instead, {@value #FAULTS_IN_A_ROW_MAX} times in a row or once from
 * {@code await}, is taken for lost too rather than retried forever. When the gate
 * suspends, it stops at a message boundary once nothing written is unanswered, and waits for the gate.
 */
final class IoThread {

    private static final Logger LOG = System.getLogger(IoThread.class.getName());
    private static final AtomicLong THREADS = new AtomicLong();
    /** The shortest wait, so that deadlines a hair ahead do not make the loop spin. */
    private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How long the I/O thread looks for the next request before it waits on the transport. */
    private static final long SPIN_NANOS = Runtime.getRuntime().availableProcessors() > 1
            ? TimeUnit.MICROSECONDS.toNanos(20) : 0;
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Pause after surviving a fault, so a persistent one cannot spin a core. */
    private static final long FAULT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Faults in a row, with no message taken or routed between them, after which the transport is taken for
     * lost: one that throws unchecked exceptions on every call (closed under the I/O thread, by a transport
     * that breaks the SPI) would otherwise be retried forever.
     */
    private static final int FAULTS_IN_A_ROW_MAX = 64;
    private static final long RECONNECT_FIRST_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long RECONNECT_MAX_NANOS = TimeUnit.SECONDS.toNanos(2);

    private enum State { STOPPED, RUNNING, STOPPING }

    private final Link link;
    private final Multiplexer mux;
    private volatile long lingerNanos;
    private volatile boolean reconnect;
    private final Object lifecycle = new Object();
    private final RateLimitedLog faults = new RateLimitedLog(LOG, Level.WARNING, TimeUnit.SECONDS.toNanos(10));
    private final RateLimitedLog reconnects = new RateLimitedLog(LOG, Level.WARNING, TimeUnit.SECONDS.toNanos(10));
    private final AtomicLong replacements = new AtomicLong();
    private volatile State state = State.STOPPED;
    private volatile boolean awaiting;
    private volatile boolean closing;
    private volatile Thread thread;

    IoThread(Link link, Multiplexer mux, ConnectionOptions options) {
        this.link = link;
        this.mux = mux;
        reconfigure(options);
    }

    /**
     * Takes the idle linger and the reconnection rule (only where the link can replace its transport) from
     * {@code options}, from the next loop turn on (reconnection: at the next loss).
     */
    void reconfigure(ConnectionOptions options) {
        this.lingerNanos = options.idleLinger().toNanos();
        this.reconnect = options.reconnect() && link.replaceable();
    }

    /** Something was queued or watched, or the gate moved: make sure the thread runs and looks at it. */
    void requestPending() {
        if (state == State.RUNNING) {
            if (awaiting) {
                wake();
            }
            return;
        }
        synchronized (lifecycle) {
            if (closing) {
                return;
            }
            if (state == State.STOPPED) {
                state = State.RUNNING;
                Thread t = new Thread(this::run, "xenstore-io-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                thread = t;
                t.start();
            } else {
                wake();
            }
        }
    }

    private void wake() {
        link.transport().wakeup();
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Whether the calling thread is this connection's I/O thread. */
    boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /** Whether the I/O thread exists now. */
    boolean running() {
        return state != State.STOPPED;
    }

    /**
     * Stops the thread at the next loop turn and waits for it, at most {@code timeoutMillis}.
     *
     * @return whether it ended in time
     */
    boolean stop(long timeoutMillis) {
        Thread t;
        synchronized (lifecycle) {
            closing = true;
            t = thread;
        }
        wake();
        synchronized (mux.gate()) {
            mux.gate().notifyAll();
        }
        if (t == null || t == Thread.currentThread()) {
            return true;
        }
        try {
            t.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    private void run() {
        try {
            while (!closing) {
                try {
                    serve();
                    return;
                } catch (EOFException e) {
                    lost(new TransportFailureException("the server closed the connection", null, e));
                } catch (RingCorruptedException e) {
                    // A ring error is final: the server stopped serving the ring, and reopening it finds the same.
                    failConnection(new TransportFailureException("ring error: " + e.getMessage(), null, e));
                    return;
                } catch (IOException e) {
                    lost(new TransportFailureException("transport failed: " + describe(e), null, e));
                } catch (MalformedMessageException e) {
                    lost(new ProtocolViolationException("the server broke the protocol: " + e.getMessage(), null, e));
                }
                if (!reconnect) {
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "xenstore I/O thread failed unexpectedly; failing the connection", e);
            failConnection(new TransportFailureException("I/O thread failed: " + e, null, e));
        } finally {
            synchronized (lifecycle) {
                if (thread == Thread.currentThread()) {
                    state = State.STOPPED;
                    thread = null;
                }
            }
        }
    }

    /** Moves messages until closing or idle long enough; throws when the transport fails. */
    private void serve() throws IOException, MalformedMessageException {
        long idleSince = 0;
        int faultsInARow = 0;
        while (!closing) {
            if (mux.gate().state() != ConnectionGate.State.OPEN && stopAtBoundary()) {
                continue;
            }
            Transport transport = link.transport();
            boolean flushed;
            boolean faulted = false;
            long moved = mux.moved();
            try {
                flushed = transport.write(mux);
                transport.read(mux);
            } catch (RuntimeException | Error e) {
                faultsInARow = mux.moved() == moved ? faultsInARow + 1 : 1;
                if (faultsInARow >= FAULTS_IN_A_ROW_MAX) {
                    throw new IOException(faultsInARow + " failures in a row on " + transport.info().uri()
                            + ", the last " + e + "; taking the transport for lost", e);
                }
                survive(e);
                flushed = false;
                faulted = true;
            }
            long now = System.nanoTime();
            long nextDeadline = mux.hasRequests() ? mux.expire(now) : now + IDLE_WAIT_NANOS;
            if (faulted) {
                continue;
            }
            faultsInARow = 0;
            if (mux.idle() && flushed && mux.gate().state() == ConnectionGate.State.OPEN) {
                if (idleSince == 0) {
                    idleSince = now;
                } else if (now - idleSince >= lingerNanos && leaveIfIdle()) {
                    return;
                }
            } else {
                idleSince = 0;
            }
            if (flushed && mux.moved() != moved && mux.drained() && workArrivesSoon()) {
                continue;
            }
            awaiting = true;
            if (!closing && (!flushed || !mux.hasWritable())) {
                await(transport, !flushed, waitNanos(idleSince, now, nextDeadline));
            }
            awaiting = false;
        }
    }

    /**
     * When the last outstanding reply was just delivered, its caller usually sends its next request within
     * microseconds: a short spin catches it without the wake-up through the transport, which costs a system call
     * on each side and a context switch of this thread (measured with one caller against xenstored: 4.4 context
     * switches and 9.5 system calls per request without the spin, 2.5 and 6-8 with it). Only while nothing
     * written is unanswered, so a reply never waits for the spin; never on a single CPU, where it would keep the
     * caller from running.
     */
    private boolean workArrivesSoon() {
        if (SPIN_NANOS == 0) {
            return false;
        }
        long until = System.nanoTime() + SPIN_NANOS;
        do {
            if (mux.hasWritable()) {
                return true;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - until < 0);
        return false;
    }

    /**
     * Waits on the transport. An unchecked exception there means the transport broke (it is not tied to one
     * message, as a failure while reading or writing may be): it is lost like any failed transport, so the
     * connection reconnects instead of failing for good.
     */
    private static void await(Transport transport, boolean wantWrite, long timeoutNanos) throws IOException {
        try {
            transport.await(wantWrite, timeoutNanos);
        } catch (RuntimeException e) {
            throw new IOException("waiting on " + transport.info().uri() + " failed: " + e, e);
        }
    }

    /**
     * The gate is closing: once nothing written is unanswered and the stream is at a message boundary, the
     * connection is suspended and this thread waits, expiring requests, until the gate opens.
     *
     * @return true if it waited (the caller loops), false to go on serving
     */
    private boolean stopAtBoundary() {
        ConnectionGate gate = mux.gate();
        if (gate.state() == ConnectionGate.State.SUSPENDING) {
            if (!mux.drained() || !link.transport().atMessageBoundary()) {
                return false;
            }
            gate.suspended();
        }
        synchronized (gate) {
            while (gate.state() == ConnectionGate.State.SUSPENDED && !closing) {
                long now = System.nanoTime();
                long next = mux.hasRequests() ? mux.expire(now) : now + IDLE_WAIT_NANOS;
                long wait = Math.min(IDLE_WAIT_NANOS, Math.max(MIN_WAIT_NANOS, next - now));
                try {
                    TimeUnit.NANOSECONDS.timedWait(gate, wait);
                } catch (InterruptedException e) {
                    Thread.interrupted(); // never let an interrupt stick to the I/O thread
                }
            }
        }
        return true;
    }

    /** The transport failed: replace it (reconnection on) or fail the connection. */
    private void lost(XenstoreException cause) {
        if (!reconnect || closing) {
            failConnection(cause);
            return;
        }
        reconnects.log("xenstore connection " + link.transport().info().uri() + " lost (" + cause.getMessage()
                + "); reconnecting to " + link.describeSource(), null);
        mux.connectionLost(cause);
        long backoff = RECONNECT_FIRST_NANOS;
        while (!closing) {
            try {
                link.replace();
                replacements.incrementAndGet();
                LOG.log(Level.INFO, "xenstore connection re-established: " + link.transport().info().uri());
                return;
            } catch (IOException | RuntimeException e) {
                reconnects.log("reconnecting to " + link.describeSource() + " failed: " + e.getMessage(), null);
            }
            long until = System.nanoTime() + backoff;
            while (!closing && System.nanoTime() - until < 0) {
                long now = System.nanoTime();
                long next = mux.hasRequests() ? mux.expire(now) : until;
                LockSupport.parkNanos(Math.max(MIN_WAIT_NANOS, Math.min(until, next) - now));
                Thread.interrupted();
            }
            backoff = Math.min(RECONNECT_MAX_NANOS, backoff * 2);
        }
    }

    /**
     * A failure while handling one message (an allocation failure, a bug): the transport and the frame
     * decoder kept their place, so the loop goes on after a short pause (as the seed's xenbus thread
     * schedules and retries), counted and logged at most once per interval.
     */
    private void survive(Throwable e) {
        faults.log("xenstore I/O thread survived a failure handling a message on " + link.transport().info().uri()
                + ": " + e, e);
        Thread.interrupted();
        LockSupport.parkNanos(FAULT_PAUSE_NANOS);
    }

    /** An exception's message, or its kind when it has none (ClosedChannelException). */
    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    long faults() {
        return faults.occurrences();
    }

    long logLinesWritten() {
        return faults.linesWritten() + reconnects.linesWritten();
    }

    /** Transports replaced after a loss. */
    long replacements() {
        return replacements.get();
    }

    /** Until the next deadline, or the end of the idle linger, but never longer than the idle wait. */
    private long waitNanos(long idleSince, long now, long nextDeadline) {
        long wait = Math.min(IDLE_WAIT_NANOS, Math.max(MIN_WAIT_NANOS, nextDeadline - now));
        if (idleSince != 0) {
            wait = Math.min(wait, Math.max(MIN_WAIT_NANOS, lingerNanos - (now - idleSince)));
        }
        return wait;
    }

    private boolean leaveIfIdle() {
        synchronized (lifecycle) {
            state = State.STOPPING;
            if (mux.idle()) {
                state = State.STOPPED;
                thread = null;
                return true;
            }
            state = State.RUNNING;
            return false;
        }
    }

    private void failConnection(XenstoreException cause) {
        LOG.log(Level.WARNING, "xenstore connection " + link.transport().info().uri() + " failed: "
                + cause.getMessage());
        link.transport().close();
        mux.fail(cause);
    }
}
