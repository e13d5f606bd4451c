package org.jxenbus.xenstore.sim.internal.frontend;

import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

import org.jxenbus.xenstore.sim.internal.engine.Connection;
import org.jxenbus.xenstore.sim.internal.engine.Engine;
import org.jxenbus.xenstore.sim.internal.engine.Frontend;
import org.jxenbus.xenstore.spi.transport.IncomingMessages;
import org.jxenbus.xenstore.spi.transport.OutgoingMessages;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportInfo;
import org.jxenbus.xenstore.spi.wire.XsMessage;

/**
 * A connection to a simulator in the same JVM: whole messages handed over, no bytes. A socket-like
 * connection (privileged) or a domain's connection, which outlives this transport as a ring outlives its
 * clients. The core's I/O thread calls {@link #write}, {@link #read} and {@link #await}; the engine calls
 * the {@link Frontend} methods; {@link #wakeup} and {@link #close} any thread.
 */
final class SimTransport implements Transport, Frontend {

    private final Engine engine;
    private final TransportInfo info;
    private final boolean domain;
    private final Connection conn;
    private volatile Thread waiter;
    private volatile boolean woken;
    private volatile boolean closedByServer;
    private volatile boolean closed;

    private SimTransport(Engine engine, TransportInfo info, boolean domain, int domid) {
        this.engine = engine;
        this.info = info;
        this.domain = domain;
        this.conn = domain ? engine.attachDomain(domid, this) : engine.openSocket(this);
    }

    /** A privileged, socket-like connection. */
    static SimTransport socketLike(Engine engine, TransportInfo info) {
        return new SimTransport(engine, info, false, 0);
    }

    /** Domain {@code domid}'s connection (introduced first if needed). */
    static SimTransport ofDomain(Engine engine, TransportInfo info, int domid) {
        return new SimTransport(engine, info, true, domid);
    }

    @Override
    public TransportInfo info() {
        return info;
    }

    @Override
    public boolean write(OutgoingMessages source) throws IOException {
        check();
        for (XsMessage m; (m = source.take()) != null;) {
            conn.submit(m);
        }
        return true;
    }

    @Override
    public void read(IncomingMessages sink) throws IOException {
        boolean any = false;
        for (XsMessage m; (m = conn.takeWritten()) != null;) {
            sink.deliver(m);
            any = true;
        }
        if (!any) {
            check();
        }
    }

    private void check() throws IOException {
        if (closedByServer) {
            throw new EOFException("the simulator closed " + info.uri());
        }
        if (closed) {
            throw new IOException(info.uri() + " is closed");
        }
    }

    @Override
    public void await(boolean wantWrite, long timeoutNanos) {
        waiter = Thread.currentThread();
        try {
            long deadline = System.nanoTime() + timeoutNanos;
            while (!woken && !conn.hasOutput() && !closedByServer && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            woken = false;
            waiter = null;
        }
    }

    @Override
    public void wakeup() {
        woken = true;
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public boolean atMessageBoundary() {
        return true;
    }

    @Override
    public void outputAvailable() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public void closed() {
        closedByServer = true;
        wakeup();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wakeup();
        if (!closedByServer) {
            if (domain) {
                engine.detachDomain(conn, this);
            } else {
                engine.closeSocket(conn);
            }
        }
    }
}
