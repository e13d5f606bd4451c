package org.jxenbus.itests.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * What the generator knows of the servers' state, learnt from the reference server's replies: which
 * guests are introduced, each client's open transactions and watches. Both servers must agree on it (a
 * disagreement is a reply mismatch, caught first).
 */
final class Model {

    static final List<String> SOCKETS = List.of("S1", "S2");
    /** Guests the generator introduces and talks as. */
    static final int[] GUESTS = {1, 2, 3, 4};
    /** A domain that exists but is never a client. */
    static final int IDLE_DOMAIN = 5;
    /** A domain that does not exist. */
    static final int NO_DOMAIN = 7;

    final Set<Integer> introduced = new LinkedHashSet<>();
    /** SET_TARGETs that succeeded, by the domain that took the target, while it is introduced. */
    final Map<Integer, Set<Integer>> targets = new LinkedHashMap<>();
    final Map<String, List<Integer>> transactions = new LinkedHashMap<>();
    final Map<String, Set<String>> watches = new LinkedHashMap<>();

    /** Clients that can send now: the sockets, dom0's ring, introduced guests. */
    List<String> clients() {
        List<String> c = new ArrayList<>(SOCKETS);
        c.add("D0");
        for (int g : GUESTS) {
            if (introduced.contains(g)) {
                c.add("G" + g);
            }
        }
        return c;
    }

    List<Integer> transactionsOf(String conn) {
        return transactions.computeIfAbsent(conn, k -> new ArrayList<>());
    }

    Set<String> watchesOf(String conn) {
        return watches.computeIfAbsent(conn, k -> new LinkedHashSet<>());
    }

    void forget(String conn) {
        transactions.remove(conn);
        watches.remove(conn);
    }

    /**
     * Whether domain {@code domid} is the target of a domain still introduced: releasing it frees a
     * connection the other still points to, after which xenstored 4.17 reads freed memory in permission
     * checks and dies when the other goes (a use after free in its SET_TARGET handling).
     */
    boolean isHeldTarget(int domid) {
        for (Set<Integer> t : targets.values()) {
            if (t.contains(domid)) {
                return true;
            }
        }
        return false;
    }

    /** Domain {@code domid} was destroyed: the targets it held go with it. */
    void released(int domid) {
        introduced.remove(domid);
        targets.remove(domid);
    }

    /** Learns from the reference reply to {@code op}. */
    void learn(Op op, XsMessage reply) {
        boolean ok = reply.type() != XsMessageType.XS_ERROR.code();
        String err = ok ? null : text(reply.payload());
        XsMessageType t = XsMessageType.ofCode(op.type());
        if (t == null) {
            return;
        }
        switch (t) {
            case XS_TRANSACTION_START -> {
                if (ok) {
                    transactionsOf(op.conn()).add(Integer.parseUnsignedInt(text(reply.payload())));
                }
            }
            case XS_TRANSACTION_END -> {
                if (op.txId() != 0 && !"EINVAL".equals(err) && !"ENOENT".equals(err)) {
                    transactionsOf(op.conn()).remove(Integer.valueOf(op.txId()));
                }
            }
            case XS_WATCH -> {
                if (ok) {
                    watchesOf(op.conn()).add(watchKey(op.payload()));
                }
            }
            case XS_UNWATCH -> {
                if (ok) {
                    watchesOf(op.conn()).remove(watchKey(op.payload()));
                }
            }
            case XS_SET_TARGET -> {
                if (ok) {
                    String[] parts = new String(op.payload(), StandardCharsets.ISO_8859_1).split("\0");
                    targets.computeIfAbsent(Integer.parseInt(parts[0]), k -> new LinkedHashSet<>())
                            .add(Integer.parseInt(parts[1]));
                }
            }
            case XS_RESET_WATCHES -> {
                if (ok) {
                    forget(op.conn());
                }
            }
            default -> {
            }
        }
    }

    /** The watch's path and token as sent (a relative path kept relative). */
    static String watchKey(byte[] payload) {
        String s = new String(payload, StandardCharsets.ISO_8859_1);
        String[] parts = s.split("\0", -1);
        return parts.length >= 2 ? parts[0] + "\0" + parts[1] : s;
    }

    static String text(byte[] b) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        return s.endsWith("\0") ? s.substring(0, s.length() - 1) : s;
    }
}
