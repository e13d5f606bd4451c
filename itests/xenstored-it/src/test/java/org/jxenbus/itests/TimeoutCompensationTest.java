package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.OutcomeUnknownException;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.WatchEvent;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreTimeoutException;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Timeouts against a SIGSTOPped xenstored: reads time out plainly, changes report an unknown outcome, and
 * when xenstored runs again the late replies are discarded and what they left open on the server is undone
 * (the proxy records the compensating TRANSACTION_END F and UNWATCH).
 */
@Tag("socket-only") // through the reordering proxy, which speaks to a socket
@ExtendWith(XenstoredExtension.class)
class TimeoutCompensationTest {

    static final ConnectionOptions SHORT = ConnectionOptions.defaults().withRequestTimeout(Duration.ofMillis(300))
            .withMaxOpenTransactions(1);

    @Test
    void lateRepliesAreDiscardedAndLateStartsAndWatchesAreUndone(FakeXenHost host) throws Exception {
        try (ReorderingProxy proxy = ReorderingProxy.start(host);
                XenstoreConnection xs = Xenstore.open(proxy.uri(), SHORT)) {
            xs.write("/lc/v", "before");
            List<WatchEvent> events = new CopyOnWriteArrayList<>();
            host.pause();
            try {
                assertThrows(XenstoreTimeoutException.class, () -> xs.read("/lc/v"));
                OutcomeUnknownException w = assertThrows(OutcomeUnknownException.class, () -> xs.write("/lc/v", "x"));
                assertEquals(OutcomeUnknownException.Reason.TIMEOUT, w.reason());
                assertThrows(OutcomeUnknownException.class, xs::beginTransaction);
                assertThrows(OutcomeUnknownException.class, () -> xs.watch("/lc/watched", events::add));
            } finally {
                host.resume();
            }
            awaitStat(() -> xs.statistics().compensations() == 2 && xs.statistics().lateReplies() == 4, xs);
            awaitStat(() -> sent(proxy, XsMessageType.XS_UNWATCH) == 1 && sent(proxy, XsMessageType.XS_TRANSACTION_END) == 1
                    && xs.statistics().inFlight() == 0, xs);

            XsMessage lateStart = proxy.replies().stream()
                    .filter(m -> m.type() == XsMessageType.XS_TRANSACTION_START.code()).findFirst().orElseThrow();
            int tx = Integer.parseInt(Payloads.singleString(lateStart.payload()));
            XsMessage end = only(proxy, XsMessageType.XS_TRANSACTION_END);
            assertEquals(tx, end.txId(), "the late transaction is the one aborted");
            assertEquals(List.of("F"), Payloads.stringList(end.payload()));
            XsMessage watch = only(proxy, XsMessageType.XS_WATCH);
            XsMessage unwatch = only(proxy, XsMessageType.XS_UNWATCH);
            assertEquals(Payloads.stringList(watch.payload()), Payloads.stringList(unwatch.payload()),
                    "the late watch is the one removed");
            assertTrue(repliedOk(proxy, XsMessageType.XS_UNWATCH), "xenstored had the watch and removed it");

            assertEquals(0, xs.statistics().unknownReplies(), "late replies are matched, not unknown");
            xs.write("/lc/watched/after", "1");
            try (Transaction t = xs.beginTransaction()) {
                assertTrue(t.id() > 0, "the only transaction slot came back after the compensation");
            }
            assertEquals("x", xs.read("/lc/v"), "the write whose outcome was unknown was applied");
            assertTrue(events.isEmpty(), "an abandoned watch delivers nothing: " + events);
        }
    }

    private static long sent(ReorderingProxy proxy, XsMessageType type) {
        return proxy.requests().stream().filter(m -> m.type() == type.code()).count();
    }

    private static XsMessage only(ReorderingProxy proxy, XsMessageType type) {
        List<XsMessage> all = proxy.requests().stream().filter(m -> m.type() == type.code()).toList();
        assertEquals(1, all.size(), type + ": " + all);
        return all.get(0);
    }

    private static boolean repliedOk(ReorderingProxy proxy, XsMessageType type) {
        return proxy.replies().stream().anyMatch(m -> m.type() == type.code());
    }

    static void awaitStat(java.util.function.BooleanSupplier condition, XenstoreConnection xs)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(condition.getAsBoolean(), xs.statistics().toString());
    }
}
