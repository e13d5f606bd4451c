package org.jxenbus.xenstore.sim.internal.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jxenbus.xenstore.sim.Profile;
import org.jxenbus.xenstore.sim.Quotas;
import org.jxenbus.xenstore.spi.wire.XsMessage;

/**
 * The simulated xenstored's one thread ({@code xenstored-sim-N}), which owns all its state and processes
 * one request at a time, as xenstored does: each pass takes at most one request from every connection that
 * may be read (an unprivileged domain over its outstanding or memory quota is not), in the order the
 * connections were made. Frontends put requests into connections' inboxes and take replies from their
 * outboxes from their own threads; everything else runs here, including what the embedding API asks
 * ({@link #call}).
 *
 * <p>Thread-safe entry points: {@link #wake}, {@link #call}, {@link #post}, {@link #written},
 * {@link #close}.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = System.getLogger(Engine.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final Xenstored xs;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Object[]> written = new ConcurrentLinkedQueue<>();
    private volatile boolean signalled;
    private volatile boolean closing;
    private volatile boolean paused;

    /** Builds the daemon's state (dom0 and the initial nodes) and starts the thread. */
    public Engine(Profile profile, Quotas quotas, Hypervisor hypervisor) {
        long origin = System.nanoTime();
        this.xs = new Xenstored(this, profile, quotas, hypervisor,
                () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - origin) + 1);
        xs.start();
        this.thread = new Thread(this::run, "xenstored-sim-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    /** Makes the thread look at its inboxes and tasks. Cheap; any thread. */
    public void wake() {
        signalled = true;
        LockSupport.unpark(thread);
    }

    /** Runs {@code task} on the engine thread, later. Any thread. */
    public void post(Runnable task) {
        tasks.add(task);
        wake();
    }

    /**
     * Runs {@code task} on the engine thread and waits for its result (at most 30 s). On the engine thread
     * itself it runs at once.
     *
     * @throws IllegalStateException if the engine is closed or the task timed out
     * @throws RuntimeException what the task threw
     */
    public <T> T call(Callable<T> task) {
        if (Thread.currentThread() == thread) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (closing) {
            throw new IllegalStateException("the simulator is closed");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        post(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the simulator", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the simulator did not answer within 30 s", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    // ---- what frontends and the embedding API ask; any thread, each runs on the engine thread

    /** A new socket-like connection (privileged, dom0's implicit path) whose output goes to {@code f}. */
    public Connection openSocket(Frontend f) {
        return call(() -> xs.openSocketConnection(f));
    }

    /** The socket-like connection ended (EOF, or its frontend closed): its watches and transactions go. */
    public void closeSocket(Connection c) {
        post(() -> xs.destroyConnection(c));
    }

    /**
     * Attaches {@code f} to domain {@code domid}'s connection, as a guest starting to use its ring;
     * introduces the domain first if needed (with no ring). What the connection's {@link UnreadRing} holds is
     * skipped, as a client connecting to a ring skips stale responses; what still waits is delivered.
     *
     * @throws IllegalStateException if the domain's connection is served on a ring or already attached
     */
    public Connection attachDomain(int domid, Frontend f) {
        return call(() -> {
            Domain d = xs.domains().findIntroduced(domid);
            if (d == null) {
                xs.hypervisor().created(domid);
                try {
                    d = xs.domainRequests().introduceWithoutRing(domid);
                } catch (XsError e) {
                    throw new IllegalStateException("cannot introduce domain " + Integer.toUnsignedString(domid)
                            + ": " + e.errno);
                }
            }
            Connection c = d.connection;
            if (c.ring != null) {
                throw new IllegalStateException("domain " + Integer.toUnsignedString(domid)
                        + " is served on a ring; connect through the ring");
            }
            if (c.frontend() != null && !(c.frontend() instanceof UnreadRing)) {
                throw new IllegalStateException("domain " + Integer.toUnsignedString(domid)
                        + "'s connection is in use by another client");
            }
            if (c.frontend() instanceof UnreadRing unread) {
                unread.handOver();
            }
            c.frontend(f);
            return c;
        });
    }

    /** The client of a domain's connection left; the connection stays, as a ring outlives its clients. */
    public void detachDomain(Connection c, Frontend f) {
        post(() -> {
            if (c.frontend() == f && !c.closed) {
                UnreadRing unread = new UnreadRing(xs, c);
                c.frontend(unread);
                unread.outputAvailable();
            }
        });
    }

    /** A served ring broke the protocol ({@code ignore_connection}). */
    public void ringFailed(Connection c) {
        post(() -> xs.ignoreConnection(c));
    }

    /** A served ring's client asked for a reconnection: the connection's state goes; waits until done. */
    public void ringReconnected(Connection c) {
        call(() -> {
            xs.watchRequests().removeAll(c);
            xs.transactions().removeAll(c);
            xs.output().dropAll(c);
            c.dropRequests();
            return null;
        });
    }

    /** Whether {@code c}'s next request may be read now; its ring is paused otherwise. Any thread. */
    public boolean readable(Connection c) {
        return c.readable;
    }

    /** Introduces domain {@code domid} as dom0's toolstack would (INTRODUCE); false if it already was. */
    public boolean introduceDomain(int domid, int port) {
        return call(() -> {
            if (xs.domains().findIntroduced(domid) != null) {
                return false;
            }
            try {
                xs.domainRequests().introduce(domid, port);
            } catch (XsError e) {
                throw new IllegalStateException("cannot introduce domain " + Integer.toUnsignedString(domid)
                        + ": " + e.errno);
            }
            return true;
        });
    }

    /** The domain died: it is destroyed as xenstored does on learning of it ({@code @releaseDomain} fires). */
    public void destroyDomain(int domid) {
        call(() -> {
            xs.domainRequests().died(domid);
            return null;
        });
    }

    /** Whether domain {@code domid} is introduced. */
    public boolean isIntroduced(int domid) {
        return call(() -> xs.domains().findIntroduced(domid) != null);
    }

    /** Domain 0's connection (served on dom0's ring, or attached in the same JVM). */
    public Connection dom0Connection() {
        return call(() -> xs.domains().find(0).connection);
    }

    /** Serves {@code c} on {@code ring} from now on (dom0's ring, set up after start). */
    public void attachRing(Connection c, Hypervisor.RingAttachment ring) {
        call(() -> {
            c.ring = ring;
            return null;
        });
    }

    /** Runs {@code action} on the engine thread with the daemon's nodes, for snapshots and checks. */
    public <T> T inspect(java.util.function.Function<java.util.Map<String, NodeRecordView>, T> action) {
        return call(() -> {
            java.util.Map<String, NodeRecordView> view = new java.util.TreeMap<>();
            xs.db().view().forEach((k, r) -> {
                if (k.startsWith("/")) {
                    view.put(k, new NodeRecordView(r.generation(), r.perms().toString(), r.data()));
                }
            });
            return action.apply(view);
        });
    }

    /** A node as {@link #inspect} shows it. */
    public record NodeRecordView(long generation, String perms, byte[] value) {
    }

    /** A frontend wrote a message completely (see {@link Connection#written}). Any thread. */
    void written(Connection conn, OutMessage m) {
        written.add(new Object[] {conn, m});
        wake();
    }

    /** The daemon's state; engine thread only (through {@link #call} or {@link #post}). */
    Xenstored state() {
        return xs;
    }

    private void run() {
        while (!closing) {
            try {
                signalled = false;
                boolean worked = runTasks();
                if (!paused) {
                    worked |= processOnePerConnection();
                }
                long next = expireEvents();
                if (!worked && !signalled && !closing) {
                    long wait = next == 0 ? IDLE_PARK_NANOS
                            : TimeUnit.MILLISECONDS.toNanos(Math.max(1, next - xs.nowMillis()));
                    LockSupport.parkNanos(this, Math.min(wait, IDLE_PARK_NANOS));
                }
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "xenstored simulator: unexpected failure; going on", e);
            }
        }
    }

    private boolean runTasks() {
        boolean worked = false;
        for (Object[] w; (w = written.poll()) != null;) {
            xs.output().written((Connection) w[0], (OutMessage) w[1]);
            worked = true;
        }
        for (Runnable t; (t = tasks.poll()) != null;) {
            t.run();
            worked = true;
        }
        return worked;
    }

    /** One request from every connection that has one and may be read ({@code conn_can_read}). */
    private boolean processOnePerConnection() {
        boolean worked = false;
        java.util.List<Connection> pass = new ArrayList<>(xs.connections());
        for (int i = 0; i < pass.size(); i++) {
            Connection c = pass.get(i);
            boolean processed = false;
            if (!c.closed && !c.ignored && c.hasRequest() && canRead(c)) {
                c.busy = true;
                XsMessage request = c.nextRequest();
                if (request != null) {
                    drainWritten();
                    xs.successor = i + 1 < pass.size() ? pass.get(i + 1) : null;
                    xs.dispatcher().process(c, request);
                    xs.successor = null;
                    worked = true;
                    processed = true;
                }
            }
            if (c.freeDeferred) {
                c.freeDeferred = false;
                xs.domainRequests().free(c);
                worked = true;
            }
            publishReadable(c, processed);
            c.busy = false;
            if (processed && c.ring != null && c.wantsRequest()) {
                c.ring.readable(true);
            }
        }
        return worked;
    }

    /** Settles messages frontends wrote, so a request sees the outstanding counts its client saw. */
    private void drainWritten() {
        for (Object[] w; (w = written.poll()) != null;) {
            xs.output().written((Connection) w[0], (OutMessage) w[1]);
        }
    }

    /**
     * Publishes whether the connection may be read (its ring reads a request only then, and only with its
     * inbox empty), and wakes the ring once it may read again after a request or a quota held it.
     */
    private void publishReadable(Connection c, boolean processed) {
        if (c.ring == null) {
            return;
        }
        boolean readable = !c.closed && !c.ignored && canRead(c);
        boolean changed = readable != c.readable;
        c.readable = readable;
        if (readable && changed && !processed && !c.hasRequest()) {
            c.ring.readable(true);
        }
    }

    /** {@code domain_can_read}: an unprivileged domain over its outstanding or memory quota is not read. */
    boolean canRead(Connection c) {
        if (!c.unprivileged()) {
            return true;
        }
        Domain d = c.domain;
        Limits l = xs.limits();
        if (d.outstanding >= l.outstanding) {
            return false;
        }
        return !(l.memory != 0 && d.memory >= l.memory);
    }

    /** Drops expired unsent events; returns the next expiry (engine millis), or 0. */
    private long expireEvents() {
        long now = xs.nowMillis();
        long next = 0;
        for (Connection c : xs.connections()) {
            if (!c.unprivileged()) {
                continue;
            }
            xs.output().expire(c, now);
            long n = c.outbox.nextExpiry();
            if (n != 0 && (next == 0 || n < next)) {
                next = n;
            }
        }
        return next;
    }

    /** Tells every connection's frontend it is closed (the simulator stops). */
    public void closeAllConnections() {
        try {
            call(() -> {
                for (Connection c : new ArrayList<>(xs.connections())) {
                    Frontend f = c.frontend();
                    if (f != null) {
                        f.closed();
                    }
                }
                return null;
            });
        } catch (IllegalStateException ignored) {
            // already closed
        }
    }

    /** Stops (true) or resumes processing requests; frontends go on accepting them. Any thread. */
    public void pause(boolean yes) {
        paused = yes;
        wake();
    }

    /** Stops the thread (after the current request) and joins it. Idempotent. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
