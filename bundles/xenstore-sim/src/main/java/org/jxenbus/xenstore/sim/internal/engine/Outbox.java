package org.jxenbus.xenstore.sim.internal.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * A connection's output ({@code conn->out_list}): messages queued by the engine, taken by the frontend
 * that writes them, and kept until the frontend confirms them written, as xenstored keeps a message on its
 * list until the last byte is out. Thread-safe: the engine adds and confirms, the frontend's thread takes.
 */
final class Outbox {

    private final ArrayDeque<OutMessage> queued = new ArrayDeque<>();
    private final List<OutMessage> taken = new ArrayList<>();

    synchronized void add(OutMessage m) {
        m.state = OutMessage.State.QUEUED;
        queued.add(m);
    }

    /** Whether an identical watch event is still unsent (xenstored drops the duplicate). */
    synchronized boolean holdsEvent(byte[] payload) {
        for (OutMessage m : taken) {
            if (m.watchEvent && Arrays.equals(m.message.payload(), payload)) {
                return true;
            }
        }
        for (OutMessage m : queued) {
            if (m.watchEvent && Arrays.equals(m.message.payload(), payload)) {
                return true;
            }
        }
        return false;
    }

    /** The frontend: the next message to write, or null. It stays here until {@link #confirm}ed. */
    synchronized OutMessage take() {
        OutMessage m = queued.poll();
        if (m != null) {
            m.state = OutMessage.State.TAKEN;
            taken.add(m);
        }
        return m;
    }

    /** Whether anything waits to be taken. */
    synchronized boolean hasQueued() {
        return !queued.isEmpty();
    }

    /** The engine: {@code m} was written; false if it was no longer here (dropped by a reset). */
    synchronized boolean confirm(OutMessage m) {
        return taken.remove(m);
    }

    /** The engine: every message, taken or not, in order, leaving the outbox empty. */
    synchronized List<OutMessage> drain() {
        List<OutMessage> all = new ArrayList<>(taken);
        all.addAll(queued);
        taken.clear();
        queued.clear();
        return all;
    }

    /** The engine: unsent events whose time ran out, removed. */
    synchronized List<OutMessage> expire(long now) {
        List<OutMessage> gone = new ArrayList<>();
        for (Iterator<OutMessage> it = queued.iterator(); it.hasNext();) {
            OutMessage m = it.next();
            if (m.expiresAt != 0 && m.expiresAt <= now) {
                it.remove();
                gone.add(m);
            }
        }
        return gone;
    }

    /** The earliest expiry of an unsent event, or 0. */
    synchronized long nextExpiry() {
        long next = 0;
        for (OutMessage m : queued) {
            if (m.expiresAt != 0 && (next == 0 || m.expiresAt < next)) {
                next = m.expiresAt;
            }
        }
        return next;
    }
}
