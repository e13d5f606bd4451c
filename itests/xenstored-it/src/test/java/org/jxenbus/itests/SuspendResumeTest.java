package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.TestSize;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.ConflictException;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The suspend/resume gate under load (16 threads of checked requests and transactions): resuming on a
 * connection the server kept (nothing re-sent, no EEXIST) and on a new one (the server forgot: every watch
 * set again and fired), over the socket and over dom0's ring.
 */
@Tag("transport-specific") // chooses its transports itself
@ExtendWith(XenstoredExtension.class)
class SuspendResumeTest {

    static final Duration GRACE = Duration.ofMillis(50);

    @Test
    void aStaleTransactionFailsItsCommitWithEagainAndItsAbortSucceeds(FakeXenHost host) {
        try (XenstoreConnection xs = Xenstore.open(host.socketUri())) {
            Transaction committed = xs.beginTransaction();
            Transaction aborted = xs.beginTransaction();
            committed.write("/gate/stale/a", "never");
            xs.suspendControl().suspend(Duration.ZERO.plusMillis(1));
            xs.suspendControl().resume();
            ConflictException e = assertThrows(ConflictException.class, committed::commit);
            assertEquals("EAGAIN", e.errorName());
            aborted.abort();
            assertTrue(!xs.exists("/gate/stale/a"), "the stale transaction's change was not applied");
            assertEquals(0, xs.statistics().unknownReplies());
        }
    }

    @Test
    void resumingOnASurvivingSocketResendsNothing(FakeXenHost host) throws Exception {
        cycles(host, host.socketUri(), false, TestSize.pick(20, 100));
    }

    @Test
    void resumingOnANewSocketConnectionRestoresEveryWatch(FakeXenHost host) throws Exception {
        cycles(host, host.socketUri(), true, TestSize.pick(20, 100));
    }

    @Test
    void resumingOnDom0sRingAfterLeavingItRestoresEveryWatch(FakeXenHost host) throws Exception {
        cycles(host, host.dom0RingUri(), true, TestSize.pick(20, 100));
    }

    private static void cycles(FakeXenHost host, URI uri, boolean reinitialise, int cycles) throws Exception {
        try (XenstoreConnection xs = Xenstore.open(uri)) {
            AtomicInteger fired = new AtomicInteger();
            try (RawWatch w = xs.watch("/gate/w", e -> {
                if (e.path().equals("/gate/w")) {
                    fired.incrementAndGet();
                }
            }); GateLoad load = new GateLoad(xs, "/gate/load", 16, true)) {
                WatchServiceTest.await(() -> fired.get() == 1);
                for (int c = 0; c < cycles; c++) {
                    Thread.sleep(20);
                    int before = fired.get();
                    xs.suspendControl().suspend(GRACE);
                    assertTrue(xs.suspendControl().suspended());
                    xs.suspendControl().resume(reinitialise);
                    if (reinitialise) {
                        WatchServiceTest.await(() -> fired.get() > before);
                    }
                }
                load.stop();
                System.out.printf("%d suspend/resume cycles on %s (%s): %s%n", cycles, uri,
                        reinitialise ? "server forgot" : "server kept", load);
                assertTrue(load.transactionsCommitted.get() > 0);
                if (reinitialise) {
                    assertEquals(cycles + 1, fired.get(), "the watch fired once after each resume");
                } else {
                    assertEquals(1, fired.get(), "nothing re-sent on a connection the server kept");
                }
                // a watch set again and refused (EEXIST) fires no initial event: the count above would be short
                assertEquals(null, xs.metrics().errorsByName().get("EEXIST"), "no request was answered EEXIST");
                assertEquals(0, xs.statistics().unknownReplies());
                assertEquals(0, load.failuresTolerated.get());
            }
        }
    }
}
