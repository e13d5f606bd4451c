package org.jxenbus.transport.xenbus.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * Decides which of the device's request descriptors ("lanes") carries each request. Two rules of the Linux
 * driver shape it:
 * <ul>
 * <li><b>One request in flight per descriptor.</b> The driver queues a request with a pointer to its payload
 * inside the descriptor's own message buffer, which the next {@code write()} on that descriptor overwrites;
 * if the kernel's xenbus thread has not sent the first request yet, xenstored receives the second request's
 * payload under the first one's header (reads of the wrong node, writes to the wrong path). A lane takes its
 * next request only once the previous one is answered.</li>
 * <li><b>Transactions belong to the descriptor that started them.</b> The driver keeps each file's
 * transactions and refuses (ENOENT) a transaction id the file did not start; every request of a transaction
 * goes on its lane, in submission order.</li>
 * </ul>
 * Requests that cannot go yet are held here, in order, and leave as lanes come free. Concurrency comes from
 * several lanes: the kernel multiplexes its files onto its one connection.
 *
 * <p>Not thread-safe: used by the I/O thread only.
 */
final class RequestLanes {

    /** A request to write now, and on which lane. */
    record Placement(int lane, XsMessage message) {
    }

    private static final int IDLE = -1;

    private final int[] inFlightType;
    private final int[] transactionsOn;
    private final Map<Integer, Integer> laneOfTransaction = new HashMap<>();
    private final LinkedList<XsMessage> held = new LinkedList<>();

    RequestLanes(int lanes) {
        if (lanes < 1) {
            throw new IllegalArgumentException("at least one request lane, got " + lanes);
        }
        inFlightType = new int[lanes];
        transactionsOn = new int[lanes];
        java.util.Arrays.fill(inFlightType, IDLE);
    }

    /** Takes a request; what can be written at once is returned (possibly nothing: it is held). */
    List<Placement> submit(XsMessage m) {
        held.add(m);
        return release();
    }

    /**
     * A reply (anything but a watch event) arrived on {@code lane}: the lane is free again, and a transaction
     * started or ended there is recorded. Returns the held requests that can now be written.
     */
    List<Placement> answered(int lane, XsMessage reply) {
        int type = inFlightType[lane];
        inFlightType[lane] = IDLE;
        if (type == XsMessageType.XS_TRANSACTION_START.code() && reply.type() == type) {
            Integer tx = transactionId(reply);
            if (tx != null && laneOfTransaction.put(tx, lane) == null) {
                transactionsOn[lane]++;
            }
        } else if (type == XsMessageType.XS_TRANSACTION_END.code()) {
            Integer owner = laneOfTransaction.remove(reply.txId());
            if (owner != null) {
                transactionsOn[owner]--;
            }
        }
        return release();
    }

    /** The transactions started and not yet ended, each with its lane (for closing: see XenbusTransport). */
    Map<Integer, Integer> openTransactions() {
        return Map.copyOf(laneOfTransaction);
    }

    /** Whether {@code lane} has a request in flight. */
    boolean busy(int lane) {
        return inFlightType[lane] != IDLE;
    }

    /** Whether {@code lane}'s request in flight is a TRANSACTION_START: a transaction may open with its reply. */
    boolean starting(int lane) {
        return inFlightType[lane] == XsMessageType.XS_TRANSACTION_START.code();
    }

    /** Whether transaction {@code tx} was started here and is not ended yet. */
    boolean open(int tx) {
        return laneOfTransaction.containsKey(tx);
    }

    /** How many lanes there are. */
    int count() {
        return inFlightType.length;
    }

    /** Forgets the held requests: the transport is closing and will not write them. */
    void dropHeld() {
        held.clear();
    }

    /** Records {@code m} as written on {@code lane}, which must be free (for closing). */
    void sent(int lane, XsMessage m) {
        if (inFlightType[lane] != IDLE) {
            throw new IllegalStateException("lane " + lane + " has a request in flight");
        }
        inFlightType[lane] = m.type();
    }

    /** Whether nothing is held and no lane has a request in flight. */
    boolean idle() {
        if (!held.isEmpty()) {
            return false;
        }
        for (int t : inFlightType) {
            if (t != IDLE) {
                return false;
            }
        }
        return true;
    }

    /** Requests held for want of a free lane. */
    int heldCount() {
        return held.size();
    }

    private List<Placement> release() {
        List<Placement> out = new ArrayList<>(1);
        for (Iterator<XsMessage> it = held.iterator(); it.hasNext();) {
            XsMessage m = it.next();
            int lane = laneFor(m);
            if (lane == IDLE) {
                continue;
            }
            it.remove();
            inFlightType[lane] = m.type();
            out.add(new Placement(lane, m));
        }
        return out;
    }

    /** A free lane for {@code m}, or {@link #IDLE} if it must wait. */
    private int laneFor(XsMessage m) {
        Integer owner = m.txId() == 0 ? null : laneOfTransaction.get(m.txId());
        if (owner != null) {
            return inFlightType[owner] == IDLE ? owner : IDLE;
        }
        int fallback = IDLE;
        for (int lane = 0; lane < inFlightType.length; lane++) {
            if (inFlightType[lane] == IDLE) {
                if (transactionsOn[lane] == 0) {
                    return lane;
                }
                if (fallback == IDLE) {
                    fallback = lane;
                }
            }
        }
        return fallback;
    }

    private static Integer transactionId(XsMessage reply) {
        String s = new String(reply.payload(), StandardCharsets.US_ASCII);
        int nul = s.indexOf('\0');
        try {
            return Integer.parseUnsignedInt(nul < 0 ? s : s.substring(0, nul));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
