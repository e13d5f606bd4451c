package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.MixedLoad;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.testsupport.TestSize;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.ConnectionStatistics;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** 16 threads × 10,000 mixed requests on one connection, every reply checked against its thread's model. */
@ExtendWith(XenstoredExtension.class)
class ConcurrentMultiplexingTest {

    static final int THREADS = 16;

    @Test
    void sixteenThreadsShareOneConnection(FakeXenHost host) throws Exception {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            long n = MixedLoad.run(xs, "/mux", THREADS, 10_000);
            ConnectionStatistics s = xs.statistics();
            assertTrue(n >= THREADS * 10_000L);
            assertEquals(0, s.unknownReplies());
            assertEquals(s.requestsSent(), s.repliesMatched());
            assertEquals(0, s.inFlight());
        }
    }

    @Test
    void serializedWindowOfOneStaysCorrect(FakeXenHost host) throws Exception {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri(), ConnectionOptions.defaults().withMaxInFlight(1))) {
            assertEquals(1, xs.statistics().maxInFlight());
            long n = MixedLoad.run(xs, "/serial", THREADS, TestSize.pick(2_000, 10_000));
            assertTrue(n > 0);
            assertEquals(xs.statistics().requestsSent(), xs.statistics().repliesMatched());
        }
    }

    @Test
    @Tag("socket-only") // through the reordering proxy, which speaks to a socket
    void repliesReorderedAndDuplicatedByTheProxyStillReachTheirCallers(FakeXenHost host) throws Exception {
        try (ReorderingProxy proxy = ReorderingProxy.start(host); XenstoreConnection xs = Xenstore.open(proxy.uri())) {
            proxy.reorderReplies(8, 2);
            proxy.duplicateEveryNthReply(97);
            MixedLoad.run(xs, "/reorder", THREADS, TestSize.pick(1_000, 10_000));
            assertTrue(proxy.reorderedReplies() > 1000, "replies actually reordered: " + proxy.reorderedReplies());
            assertTrue(proxy.duplicatedReplies() > 0);
            ConnectionStatistics s = xs.statistics();
            assertEquals(proxy.duplicatedReplies(), s.unknownReplies(), "each duplicate counted once and discarded");
            assertEquals(s.requestsSent(), s.repliesMatched());
        }
    }
}
