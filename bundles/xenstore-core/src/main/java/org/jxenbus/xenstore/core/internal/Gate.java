package org.jxenbus.xenstore.core.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;

import org.jxenbus.xenstore.api.SuspendControl;
import org.jxenbus.xenstore.api.TransportFailureException;
import org.jxenbus.xenstore.api.XenstoreInterruptedException;
import org.jxenbus.xenstore.api.XenstoreTimeoutException;

/**
 * The connection's {@link SuspendControl}: closes the {@link ConnectionGate}, lets the I/O thread drain and
 * stop at a message boundary, and on resume re-initialises the connection when asked (ring reconnection
 * where the transport can, else a new transport from the link's source) before opening the gate again.
 */
final class Gate implements SuspendControl {

    private static final Logger LOG = System.getLogger(Gate.class.getName());

    private final Multiplexer mux;
    private final Link link;

    Gate(Multiplexer mux, Link link) {
        this.mux = mux;
        this.link = link;
    }

    @Override
    public void suspend(Duration transactionGrace) {
        Objects.requireNonNull(transactionGrace, "transactionGrace");
        mux.gate().suspend(transactionGrace.toNanos());
        mux.io().requestPending();
        boolean done;
        try {
            done = mux.gate().awaitSuspended(mux.timeoutNanos() + transactionGrace.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            suspendCancel();
            throw new XenstoreInterruptedException("suspend: interrupted while the connection drained", e);
        }
        if (!done) {
            suspendCancel();
            throw new XenstoreTimeoutException("suspend: written requests were not answered within the request "
                    + "timeout; the connection was resumed", null);
        }
    }

    @Override
    public void resume() {
        resume(false);
    }

    @Override
    public void resume(boolean reinitialise) {
        if (reinitialise && mux.gate().state() == ConnectionGate.State.SUSPENDED) {
            reinitialise();
        }
        mux.gate().open();
        mux.io().requestPending();
    }

    /** While the I/O thread waits at the gate: reset the session in place, or replace the transport. */
    private void reinitialise() {
        try {
            if (link.transport().reconnect(mux.timeoutNanos())) {
                link.resetInPlace();
            } else if (link.replaceable()) {
                link.replace();
            } else {
                LOG.log(Level.WARNING, "resume: " + link.transport().info().uri() + " can neither reset the session "
                        + "nor be replaced; resuming on it as it is");
                return;
            }
            mux.sessionChanged();
        } catch (IOException e) {
            mux.gate().open();
            throw new TransportFailureException("resume: re-initialising the connection failed: " + e.getMessage(),
                    null, e);
        }
    }

    @Override
    public void suspendCancel() {
        mux.gate().open();
        mux.io().requestPending();
    }

    @Override
    public boolean suspended() {
        return mux.gate().state() != ConnectionGate.State.OPEN;
    }
}
