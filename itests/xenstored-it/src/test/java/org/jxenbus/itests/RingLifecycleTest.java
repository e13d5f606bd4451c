package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.TestSize;
import org.jxenbus.transport.ring.fake.FakeHost;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.TransportFailureException;
import org.jxenbus.xenstore.api.WatchEvent;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.spi.ring.SharedPage;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Dom0's ring against the real xenstored where the ring itself is the subject: indices crossing 2^32,
 * corrupted indices, and leaving and returning to the same ring. Each test gets its own xenstored.
 */
@Tag("transport-specific") // dom0's ring, whatever the suite's transport
class RingLifecycleTest {

    FakeXenHost host;

    @BeforeEach
    void start() {
        host = FakeXenHost.start();
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void trafficCrossesThe32BitIndexWrap() throws Exception {
        try (SharedPage page = new FakeHost(host.dir()).mapRing(0)) {
            for (int offset : new int[] {XenstoreRing.REQ_CONS, XenstoreRing.REQ_PROD, XenstoreRing.RSP_CONS,
                    XenstoreRing.RSP_PROD}) {
                page.setIntVolatile(offset, 0xffffff00);
            }
        }
        try (XenstoreConnection xs = Xenstore.open(host.dom0RingUri())) {
            byte[] big = new byte[3000];
            for (int i = 0; i < 20; i++) {
                java.util.Arrays.fill(big, (byte) ('a' + i));
                xs.write("/wrap/v" + i, big);
                assertEquals(new String(big), xs.read("/wrap/v" + i));
            }
        }
        try (SharedPage page = new FakeHost(host.dir()).mapRing(0)) {
            int prod = page.getIntVolatile(XenstoreRing.REQ_PROD);
            assertTrue(Integer.compareUnsigned(prod, 0xffffff00) < 0, "the request index wrapped past 2^32: "
                    + Integer.toUnsignedString(prod));
        }
    }

    @Test
    void corruptedIndicesFailTheConnectionWithAClearMessage() throws Exception {
        try (XenstoreConnection xs = Xenstore.open(host.dom0RingUri())) {
            xs.write("/corrupt/a", "1");
            try (SharedPage page = new FakeHost(host.dir()).mapRing(0)) {
                int cons = page.getIntVolatile(XenstoreRing.RSP_CONS);
                page.setIntVolatile(XenstoreRing.RSP_PROD, cons + 5000);
            }
            TransportFailureException e = assertThrows(TransportFailureException.class, () -> xs.read("/corrupt/a"));
            assertTrue(e.getMessage().contains("inconsistent") && e.getMessage().contains("5000"), e.getMessage());
            assertThrows(TransportFailureException.class, () -> xs.read("/corrupt/a"), "the connection stays failed");
        }
    }

    @Test
    void leavingAndReturningToTheSameRingNeverMatchesAStaleReply() throws Exception {
        int rounds = TestSize.pick(100, 100);
        try (XenstoreConnection dom0 = Xenstore.open(host.socketUri())) {
            List<WatchEvent> strays = new CopyOnWriteArrayList<>();
            for (int round = 0; round < rounds; round++) {
                try (XenstoreConnection xs = Xenstore.open(host.dom0RingUri())) {
                    assertEquals(0, xs.statistics().unknownReplies());
                    xs.write("/leave/r" + round, "v" + round);
                    List<CompletableFuture<String>> unawaited = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        unawaited.add(xs.async().read("/leave/r" + round));
                    }
                    RawWatch w = xs.watch("/leave/watched", strays::add);
                    xs.beginTransaction().write("/leave/never", "x");
                    assertEquals("v" + round, xs.read("/leave/r" + round));
                    assertTrue(w.token().startsWith("jxenbus-"));
                    assertEquals(0, xs.statistics().unknownReplies(), "round " + round);
                    assertEquals(0, xs.statistics().unknownWatchEvents(), "round " + round
                            + ": no event for an earlier connection's watch");
                    // left open on purpose: the watch, the transaction and the 8 reads
                }
                strays.clear();
                dom0.write("/leave/watched", "changed in round " + round);
            }
            assertTrue(!dom0.exists("/leave/never"), "transactions of left connections were dropped, not committed");
        }
    }

    @Test
    void requestsWrittenJustBeforeCloseAreDrainedBeforeTheRingIsLeft() throws Exception {
        XenstoreConnection xs = Xenstore.open(host.dom0RingUri());
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            writes.add(xs.async().write("/drain/k" + i, "v"));
        }
        TimeoutCompensationTest.awaitStat(() -> xs.statistics().requestsSent() > 0, xs);
        xs.close();
        assertTrue(writes.stream().allMatch(CompletableFuture::isDone), "close leaves no request waiting");
        long answered = writes.stream().filter(f -> !f.isCompletedExceptionally()).count();
        try (XenstoreConnection next = Xenstore.open(host.dom0RingUri())) {
            for (int i = 0; i < writes.size(); i++) {
                assertEquals(!writes.get(i).isCompletedExceptionally(), next.exists("/drain/k" + i),
                        "k" + i + ": applied exactly when its caller was told so");
            }
            assertEquals(0, next.statistics().unknownReplies(), "no reply of the left connection reached this one");
        }
        assertTrue(answered > 0, "written requests were drained, not dropped: " + answered);
        System.out.println("drain on close: " + answered + " of 200 writes answered before the ring was left");
    }
}
