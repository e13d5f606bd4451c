package org.jxenbus.itests.sim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * Runs one sequence of requests against a reference server (the C xenstored) and a candidate (the
 * simulator) in lock step: each request goes to the same client of both, each reply and each client's
 * watch events are compared (see {@link Normalisation}); the reference's replies steer the {@link Model}.
 * Clients come and go as INTRODUCE and RELEASE succeed.
 */
final class Lockstep implements AutoCloseable {

    /** How long a reply may take. */
    private static final long REPLY_MILLIS = 10_000;

    private final Server reference;
    private final Server candidate;
    final Model model = new Model();
    final Coverage coverage = new Coverage();
    private final Map<String, Wire[]> wires = new LinkedHashMap<>();
    private final Map<String, Integer> reqIds = new HashMap<>();
    /** The reference's reply to the last request applied, and the events each client got with it. */
    XsMessage lastReply;
    final Map<String, List<String>> lastEvents = new LinkedHashMap<>();

    Lockstep(Supplier<Server> reference, Supplier<Server> candidate) throws IOException {
        this.reference = reference.get();
        this.candidate = candidate.get();
        for (int d : Model.GUESTS) {
            this.reference.createDomain(d);
            this.candidate.createDomain(d);
        }
        this.reference.createDomain(Model.IDLE_DOMAIN);
        this.candidate.createDomain(Model.IDLE_DOMAIN);
        for (String s : Model.SOCKETS) {
            open(s);
        }
        open("D0");
    }

    String describe() {
        return reference.describe() + " vs " + candidate.describe();
    }

    private void open(String conn) throws IOException {
        close(conn);
        int domid = new Op(conn, 0, 0, new byte[0]).domid();
        Wire r = domid < 0 ? reference.openSocket(conn) : reference.openDomain(conn, domid);
        Wire c;
        try {
            c = domid < 0 ? candidate.openSocket(conn) : candidate.openDomain(conn, domid);
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
        wires.put(conn, new Wire[] {r, c});
        reqIds.putIfAbsent(conn, 1);
    }

    private void close(String conn) {
        Wire[] w = wires.remove(conn);
        if (w != null) {
            w[0].close();
            w[1].close();
        }
        model.forget(conn);
    }

    /**
     * Applies {@code op} to both servers and compares.
     *
     * @return null if both agree, else what differs
     */
    String apply(Op op) throws IOException {
        Wire[] w = wires.get(op.conn());
        if (w == null) {
            return null; // the client is not connected (a shrunk sequence dropped its INTRODUCE)
        }
        int id = reqIds.merge(op.conn(), 1, Integer::sum);
        List<String> refEvents = new ArrayList<>();
        List<String> candEvents = new ArrayList<>();
        lastEvents.clear();
        XsMessage ref = exchange(w[0], op.message(id), refEvents, reference);
        XsMessage cand = exchange(w[1], op.message(id), candEvents, candidate);
        lastReply = ref;
        coverage.record(op, ref);
        if (!ref.equals(cand)) {
            return "reply differs: C xenstored " + render(ref) + ", simulator " + render(cand);
        }
        model.learn(op, ref);
        String diff = compareEvents(op.conn(), refEvents, candEvents);
        if (diff != null) {
            return diff;
        }
        manageClients(op, ref);
        return barrier();
    }

    private XsMessage exchange(Wire w, XsMessage request, List<String> events, Server server) throws IOException {
        w.send(request);
        long deadline = System.currentTimeMillis() + REPLY_MILLIS;
        while (true) {
            XsMessage m = w.receive(Math.max(1, deadline - System.currentTimeMillis()));
            if (m == null) {
                throw new IOException(server.describe() + (server.alive() ? " did not answer " : " died before answering ")
                        + request + " on " + w.name() + " within " + REPLY_MILLIS + " ms");
            }
            if (m.type() == XsMessageType.XS_WATCH_EVENT.code()) {
                events.add(Op.printable(m.payload()) + (m.reqId() != 0 || m.txId() != 0 ? " (ids " + m.reqId() + "/"
                        + m.txId() + ")" : ""));
            } else if (m.reqId() == request.reqId()) {
                return m;
            } else {
                throw new IOException(server.describe() + " answered " + m + " on " + w.name() + " while waiting for "
                        + request);
            }
        }
    }

    /** After INTRODUCE and RELEASE the guests' clients are reconnected or dropped, on both sides. */
    private void manageClients(Op op, XsMessage ref) throws IOException {
        boolean ok = ref.type() != XsMessageType.XS_ERROR.code();
        if (!ok) {
            return;
        }
        if (op.type() == XsMessageType.XS_INTRODUCE.code()) {
            int d = firstNumber(op.payload());
            if (d == 0) {
                open("D0"); // xenstored zeroed the ring's indices: a client starts afresh
            } else if (isGuest(d)) {
                model.introduced.add(d);
                open("G" + d);
            }
        } else if (op.type() == XsMessageType.XS_RELEASE.code()) {
            int d = firstNumber(op.payload());
            // xenstored acknowledges a RELEASE it does not carry out (a SET_TARGET reference keeps the domain)
            if (!stillIntroduced(d)) {
                model.released(d);
                if (isGuest(d)) {
                    close("G" + d);
                }
            }
        }
    }

    /** Asks both servers (on S1) whether domain {@code d} is introduced; they must agree. */
    private boolean stillIntroduced(int d) throws IOException {
        Op ask = new Op("S1", XsMessageType.XS_IS_DOMAIN_INTRODUCED.code(), 0, Op.strings(Integer.toString(d)));
        Wire[] w = wires.get("S1");
        int id = reqIds.merge("S1", 1, Integer::sum);
        List<String> refEvents = new ArrayList<>();
        List<String> candEvents = new ArrayList<>();
        XsMessage ref = exchange(w[0], ask.message(id), refEvents, reference);
        XsMessage cand = exchange(w[1], ask.message(id), candEvents, candidate);
        String diff = compareEvents("S1", refEvents, candEvents);
        if (!ref.equals(cand) || diff != null) {
            throw new IOException("after RELEASE " + d + ", IS_DOMAIN_INTRODUCED differs: C xenstored " + render(ref)
                    + ", simulator " + render(cand) + (diff == null ? "" : "; " + diff));
        }
        return Model.text(ref.payload()).equals("T");
    }

    /** Collects the events every client with a watch has been sent, by a request each answers after them. */
    private String barrier() throws IOException {
        for (Map.Entry<String, Wire[]> e : wires.entrySet()) {
            String conn = e.getKey();
            if (model.watchesOf(conn).isEmpty()) {
                continue;
            }
            int id = reqIds.merge(conn, 1, Integer::sum);
            XsMessage sync = new XsMessage(XsMessageType.XS_GET_DOMAIN_PATH.code(), id, 0, Op.strings("0"));
            List<String> refEvents = new ArrayList<>();
            List<String> candEvents = new ArrayList<>();
            XsMessage ref = exchange(e.getValue()[0], sync, refEvents, reference);
            XsMessage cand = exchange(e.getValue()[1], sync, candEvents, candidate);
            if (!ref.equals(cand)) {
                return "barrier reply on " + conn + " differs: C xenstored " + render(ref) + ", simulator " + render(cand);
            }
            String diff = compareEvents(conn, refEvents, candEvents);
            if (diff != null) {
                return diff;
            }
        }
        return null;
    }

    private String compareEvents(String conn, List<String> ref, List<String> cand) {
        coverage.events(ref.size());
        if (!ref.isEmpty()) {
            lastEvents.computeIfAbsent(conn, k -> new ArrayList<>()).addAll(ref);
        }
        if (!ref.equals(cand)) {
            return "watch events on " + conn + " differ: C xenstored " + ref + ", simulator " + cand;
        }
        return null;
    }

    private static boolean isGuest(int d) {
        for (int g : Model.GUESTS) {
            if (g == d) {
                return true;
            }
        }
        return false;
    }

    private static int firstNumber(byte[] payload) {
        String s = Model.text(payload);
        int nul = s.indexOf('\0');
        String first = nul < 0 ? s : s.substring(0, nul);
        try {
            return Integer.parseInt(first);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String render(XsMessage m) {
        return XsMessageType.nameOf(m.type()) + " id=" + Integer.toUnsignedString(m.reqId()) + " tx="
                + Integer.toUnsignedString(m.txId()) + " \"" + Op.printable(m.payload(), 1000) + "\"";
    }

    @Override
    public void close() {
        for (String conn : new ArrayList<>(wires.keySet())) {
            close(conn);
        }
        reference.close();
        candidate.close();
    }
}
