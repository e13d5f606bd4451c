package org.jxenbus.itests.sim;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/** Which replies each message type got from the reference server: the matrix the test prints. */
final class Coverage {

    private final Map<String, Map<String, Long>> seen = new TreeMap<>();
    private long requests;
    private long events;

    void record(Op op, XsMessage reply) {
        requests++;
        String outcome;
        if (reply.type() == XsMessageType.XS_ERROR.code()) {
            outcome = Model.text(reply.payload());
        } else if (Model.text(reply.payload()).equals("OK")) {
            outcome = "OK";
        } else {
            outcome = "data";
        }
        seen.computeIfAbsent(XsMessageType.nameOf(op.type()).replace("XS_", ""), k -> new TreeMap<>())
                .merge(outcome, 1L, Long::sum);
    }

    void events(int n) {
        events += n;
    }

    long requests() {
        return requests;
    }

    void addAll(Coverage other) {
        other.seen.forEach((t, m) -> m.forEach((o, n) -> seen.computeIfAbsent(t, k -> new TreeMap<>())
                .merge(o, n, Long::sum)));
        requests += other.requests;
        events += other.events;
    }

    /** The matrix: a row per type, a column per reply kind, counts in the cells. */
    String matrix() {
        TreeSet<String> columns = new TreeSet<>((a, b) -> a.equals(b) ? 0 : a.equals("OK") ? -1 : b.equals("OK") ? 1
                : a.equals("data") ? -1 : b.equals("data") ? 1 : a.compareTo(b));
        seen.values().forEach(m -> columns.addAll(m.keySet()));
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-21s", "type \\ reply"));
        for (String c : columns) {
            b.append(String.format("%8s", c));
        }
        b.append('\n');
        seen.forEach((type, m) -> {
            b.append(String.format("%-21s", type));
            for (String c : columns) {
                Long n = m.get(c);
                b.append(String.format("%8s", n == null ? "." : n.toString()));
            }
            b.append('\n');
        });
        b.append(String.format("%d requests, %d watch events compared%n", requests, events));
        return b.toString();
    }
}
