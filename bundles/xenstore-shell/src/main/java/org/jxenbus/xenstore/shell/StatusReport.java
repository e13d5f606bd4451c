package org.jxenbus.xenstore.shell;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

import org.jxenbus.xenstore.api.ConnectionStatistics;
import org.jxenbus.xenstore.api.RequestMetrics;
import org.jxenbus.xenstore.api.XenstoreStatus;

/**
 * {@code xs:stat}'s text: one {@code label value} line per fact, labels padded to one column; counts by name
 * as {@code NAME n} pairs sorted by name, {@code none} when there are none; the transport's own counters last,
 * as {@code transport.NAME}. Each call takes one fresh snapshot of the counters and metrics. Stateless.
 */
final class StatusReport {

    private static final String LINE = "%-22s %s%n";

    private StatusReport() {
    }

    /** The report on {@code status} now. */
    static String of(XenstoreStatus status) {
        ConnectionStatistics s = status.statistics();
        RequestMetrics m = status.metrics();
        StringBuilder text = new StringBuilder();
        line(text, "store", status.store());
        line(text, "transport", status.transport().isEmpty() ? "none" : status.transport());
        line(text, "simulated", status.simulated() ? "yes" : "no");
        line(text, "transport swaps", status.transportSwaps());
        line(text, "in flight", s.inFlight() + " of " + s.maxInFlight());
        line(text, "queued", s.queued());
        line(text, "requests sent", s.requestsSent());
        line(text, "replies matched", s.repliesMatched());
        line(text, "unknown replies", s.unknownReplies());
        line(text, "late replies", s.lateReplies());
        line(text, "compensations", s.compensations());
        line(text, "watch events", s.watchEvents());
        line(text, "unknown watch events", s.unknownWatchEvents());
        line(text, "I/O faults", s.ioFaults());
        line(text, "log lines written", s.logLinesWritten());
        line(text, "requests by type", counts(m.requestsByType()));
        line(text, "errors by name", counts(m.errorsByName()));
        line(text, "timeouts", m.timeouts());
        line(text, "outcome unknown", m.outcomeUnknown());
        line(text, "answered", m.answered());
        line(text, "latency", "p50 " + m.latencyP50Micros() + " us, p90 " + m.latencyP90Micros() + " us, p99 "
                + m.latencyP99Micros() + " us, max " + m.latencyMaxMicros() + " us");
        for (Map.Entry<String, Long> counter : new TreeMap<>(s.transportCounters()).entrySet()) {
            line(text, "transport." + counter.getKey(), counter.getValue());
        }
        return text.toString();
    }

    private static String counts(Map<String, Long> byName) {
        if (byName.isEmpty()) {
            return "none";
        }
        StringJoiner pairs = new StringJoiner(", ");
        new TreeMap<>(byName).forEach((name, n) -> pairs.add(name + " " + n));
        return pairs.toString();
    }

    private static void line(StringBuilder text, String label, Object value) {
        text.append(String.format(LINE, label, value));
    }
}
