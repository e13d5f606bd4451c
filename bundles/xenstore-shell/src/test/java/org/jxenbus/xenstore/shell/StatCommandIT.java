package org.jxenbus.xenstore.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * {@code xs:stat} shows the runtime's {@link XenstoreStatus}: the store, its transport, simulated or not, the
 * transport swaps, requests in flight and queued, and the connection's counters and metrics, each fresh.
 */
class StatCommandIT extends ShellTestBase {

    @Test
    void statShowsTheStoreItsTransportAndAnIdleConnection() throws Exception {
        xs.write("/stat/a", "1");
        Map<String, String> stat = stat();
        assertEquals(List.of("store", "transport", "simulated", "transport swaps", "in flight", "queued",
                "requests sent", "replies matched", "unknown replies", "late replies", "compensations", "watch events",
                "unknown watch events", "I/O faults", "log lines written", "requests by type", "errors by name",
                "timeouts", "outcome unknown", "answered", "latency"), List.copyOf(stat.keySet()));
        assertEquals(xs.describe(), stat.get("store"));
        assertEquals("unix", stat.get("transport"));
        assertEquals("no", stat.get("simulated"));
        assertEquals("0", stat.get("transport swaps"));
        assertEquals("0 of " + xs.statistics().maxInFlight(), stat.get("in flight"));
        assertEquals("0", stat.get("queued"));
        assertEquals(stat.get("requests sent"), stat.get("replies matched"));
        assertTrue(stat.get("latency").matches("p50 \\d+ us, p90 \\d+ us, p99 \\d+ us, max \\d+ us"), stat.get("latency"));
    }

    @Test
    void statCountsTheRequestsMadeSinceTheLastOne() throws Exception {
        Map<String, String> first = stat();
        assertEquals(1, shell.run("xs:read /stat/missing").status(), "the read fails");
        Map<String, String> second = stat();
        assertEquals(Long.parseLong(first.get("requests sent")) + 1, Long.parseLong(second.get("requests sent")));
        assertEquals(count(first.get("requests by type"), "READ") + 1, count(second.get("requests by type"), "READ"));
        assertEquals(count(first.get("errors by name"), "ENOENT") + 1, count(second.get("errors by name"), "ENOENT"));
    }

    /** {@code xs:stat}'s lines as label and value, in order; the output is checked to end with a newline. */
    private static Map<String, String> stat() throws Exception {
        GogoShell.Outcome o = shell.run("xs:stat");
        assertEquals(0, o.status(), o.describe());
        assertEquals("", o.errText());
        assertTrue(o.outText().endsWith("\n"), o.outText());
        Map<String, String> lines = new LinkedHashMap<>();
        for (String line : o.outText().split("\n")) {
            assertEquals(' ', line.charAt(22), line);
            lines.put(line.substring(0, 22).trim(), line.substring(23));
        }
        return lines;
    }

    /** The count for {@code name} in a {@code NAME n, NAME n} list, 0 when absent. */
    private static long count(String pairs, String name) {
        for (String pair : pairs.split(", ")) {
            if (pair.startsWith(name + " ")) {
                return Long.parseLong(pair.substring(name.length() + 1));
            }
        }
        return 0;
    }
}
