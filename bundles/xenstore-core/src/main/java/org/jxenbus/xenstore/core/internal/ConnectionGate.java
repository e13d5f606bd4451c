package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.TimeUnit;

/**
 * The suspend/resume gate, after Linux's xs_suspend/xs_resume: a state, and a generation that every
 * suspension and every lost connection moves on, so that transactions opened before become stale. While
 * suspending, only requests of transactions of the current generation are admitted, until the grace period
 * ends; the I/O thread declares the connection suspended once nothing written is unanswered and the stream
 * is at a message boundary. Thread-safe.
 */
final class ConnectionGate {

    enum State { OPEN, SUSPENDING, SUSPENDED }

    private State state = State.OPEN;
    private int generation;
    private long graceEnds;

    synchronized State state() {
        return state;
    }

    synchronized int generation() {
        return generation;
    }

    /** Whether {@code r} may be written now. */
    synchronized boolean admits(PendingRequest r) {
        if (state == State.OPEN || r.internal) {
            return true;
        }
        if (state == State.SUSPENDING && r.txId != 0 && r.generation == generation) {
            if (System.nanoTime() - graceEnds < 0) {
                return true;
            }
            generation++; // the grace is over: what is still open is stale
        }
        return false;
    }

    synchronized void suspend(long graceNanos) {
        if (state == State.OPEN) {
            state = State.SUSPENDING;
            graceEnds = System.nanoTime() + graceNanos;
        }
    }

    /** Called by the I/O thread once drained and at a message boundary. */
    synchronized void suspended() {
        if (state == State.SUSPENDING) {
            state = State.SUSPENDED;
            notifyAll();
        }
    }

    /** Opens the gate and moves the generation on (transactions from before are stale). */
    synchronized void open() {
        state = State.OPEN;
        generation++;
        notifyAll();
    }

    /** A lost connection: transactions of the old session are stale. */
    synchronized void newGeneration() {
        generation++;
    }

    /**
     * Waits until the I/O thread declared the connection suspended, at most {@code timeoutNanos}.
     *
     * @return whether it did
     */
    synchronized boolean awaitSuspended(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (state == State.SUSPENDING) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return state == State.SUSPENDED;
    }
}
