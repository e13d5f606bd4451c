package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.OutcomeUnknownException;
import org.jxenbus.xenstore.api.RequestMetrics;
import org.jxenbus.xenstore.api.RequestScope;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The connection's request metrics against xenstored: counts by type, errors by name, timeouts, latency. */
@ExtendWith(XenstoredExtension.class)
class RequestMetricsTest {

    @Test
    void requestsErrorsTimeoutsAndLatenciesAreCounted(FakeXenHost host) throws Exception {
        // Only the write made while xenstored is frozen has a short timeout: on a loaded machine any other
        // request may take longer than that, and the counts below must be exact.
        Duration shortTimeout = Duration.ofMillis(1500);
        try (XenstoreConnection xs = Xenstore.open(host.clientUri(),
                ConnectionOptions.defaults().withRequestTimeout(Duration.ofSeconds(30)))) {
            xs.exists("/"); // a ring's session starts with RESET_WATCHES: not a caller's request, not counted
            for (int i = 0; i < 40; i++) {
                xs.write("/metrics/k" + i, "v");
                xs.read("/metrics/k" + i);
            }
            for (int i = 0; i < 7; i++) {
                assertThrows(NoSuchNodeException.class, () -> xs.read("/metrics/missing"));
            }
            host.pause();
            try {
                assertThrows(OutcomeUnknownException.class,
                        () -> xs.within(RequestScope.withTimeout(shortTimeout)).write("/metrics/late", "v"));
            } finally {
                host.resume();
            }
            RequestMetrics m = xs.metrics();
            assertEquals(40, m.requestsByType().get("WRITE") - 1, m.toString()); // 40 + the one that timed out
            assertEquals(47, m.requestsByType().get("READ"), m.toString());
            assertEquals(7, m.errorsByName().get("ENOENT"), m.toString());
            assertEquals(1, m.timeouts(), m.toString());
            assertEquals(1, m.outcomeUnknown(), m.toString());
            assertEquals(40 + 47 + 1, m.answered(), "writes, reads (errors included) and the exists: " + m);
            assertTrue(m.latencyP50Micros() > 0 && m.latencyP50Micros() <= m.latencyP90Micros()
                    && m.latencyP90Micros() <= m.latencyP99Micros() && m.latencyP99Micros() <= m.latencyMaxMicros(), m.toString());
            assertTrue(m.latencyMaxMicros() < shortTimeout.toNanos() / 1000, "the timed-out write is not a latency "
                    + "sample: " + m);
        }
    }
}
