package org.jxenbus.xenstore.core.internal;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jxenbus.xenstore.api.ProtocolViolationException;
import org.jxenbus.xenstore.api.TransportFailureException;
import org.jxenbus.xenstore.api.XenstoreException;
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
 */
final class IoThread {

    private static final Logger LOG = System.getLogger(IoThread.class.getName());
    private static final AtomicLong THREADS = new AtomicLong();
    /** The shortest wait, so that deadlines a hair ahead do not make the loop spin. */
    private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Pause after surviving a fault, so a persistent one cannot spin a core. */
    private static final long FAULT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private enum State { STOPPED, RUNNING, STOPPING }

    private final Transport transport;
    private final Multiplexer mux;
    private final long lingerNanos;
    private final Object lifecycle = new Object();
    private final RateLimitedLog faults = new RateLimitedLog(LOG, Level.WARNING, TimeUnit.SECONDS.toNanos(10));
    private volatile State state = State.STOPPED;
    private volatile boolean awaiting;
    private volatile boolean closing;
    private volatile Thread thread;

    IoThread(Transport transport, Multiplexer mux, long lingerNanos) {
        this.transport = transport;
        this.mux = mux;
        this.lingerNanos = lingerNanos;
    }

    /** Something was queued or watched: make sure the thread runs and looks at it. */
    void requestPending() {
        if (state == State.RUNNING) {
            if (awaiting) {
                transport.wakeup();
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
                transport.wakeup();
            }
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
        transport.wakeup();
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
        long idleSince = 0;
        try {
            while (!closing) {
                boolean flushed;
                boolean faulted = false;
                try {
                    flushed = transport.write(mux);
                    transport.read(mux);
                } catch (RuntimeException | Error e) {
                    survive(e);
                    flushed = false;
                    faulted = true;
                }
                long now = System.nanoTime();
                long nextDeadline = mux.hasRequests() ? mux.expire(now) : now + IDLE_WAIT_NANOS;
                if (faulted) {
                    continue;
                }
                if (mux.idle() && flushed) {
                    if (idleSince == 0) {
                        idleSince = now;
                    } else if (now - idleSince >= lingerNanos && leaveIfIdle()) {
                        return;
                    }
                } else {
                    idleSince = 0;
                }
                awaiting = true;
                if (!closing && (!flushed || !mux.hasWritable())) {
                    transport.await(!flushed, waitNanos(idleSince, now, nextDeadline));
                }
                awaiting = false;
            }
        } catch (EOFException e) {
            failConnection(new TransportFailureException("the server closed the connection", null, e));
        } catch (IOException e) {
            failConnection(new TransportFailureException("transport failed: " + e.getMessage(), null, e));
        } catch (MalformedMessageException e) {
            failConnection(new ProtocolViolationException("the server broke the protocol: " + e.getMessage(), null, e));
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

    /**
     * A failure while handling one message (an allocation failure, a bug): the transport and the frame
     * decoder kept their place, so the loop goes on after a short pause (as the seed's xenbus thread
     * schedules and retries), counted and logged at most once per interval.
     */
    private void survive(Throwable e) {
        faults.log("xenstore I/O thread survived a failure handling a message on " + transport.info().uri() + ": "
                + e, e);
        Thread.interrupted();
        LockSupport.parkNanos(FAULT_PAUSE_NANOS);
    }

    long faults() {
        return faults.occurrences();
    }

    long logLinesWritten() {
        return faults.linesWritten();
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
        LOG.log(Level.WARNING, "xenstore connection " + transport.info().uri() + " failed: " + cause.getMessage());
        transport.close();
        mux.fail(cause);
    }
}
