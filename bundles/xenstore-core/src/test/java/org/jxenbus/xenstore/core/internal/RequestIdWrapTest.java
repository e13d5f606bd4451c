package org.jxenbus.xenstore.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.transport.socket.internal.SocketTransportProvider;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Request ids cross 2^32 against the real xenstored: the counter, started just below the wrap by the test
 * hook, goes through 0xffffffff to 0, and while a request holding an id waits (its reply held back by the
 * proxy) no other request is given that id.
 */
@ExtendWith(XenstoredExtension.class)
class RequestIdWrapTest {

    @Test
    void idsWrapPastTheLargestUnsignedValueAndEveryReplyIsRight(FakeXenHost host) throws Exception {
        try (ReorderingProxy proxy = ReorderingProxy.start(host);
                CoreConnection xs = new CoreConnection(new SocketTransportProvider().open(proxy.uri()),
                        ConnectionOptions.defaults().withMaxInFlight(16), 0xfffffff0)) {
            proxy.reorderReplies(8, 2);
            List<CompletableFuture<String>> reads = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                xs.write("/wrap/k" + i, "v" + i);
            }
            for (int i = 0; i < 64; i++) {
                reads.add(xs.async().read("/wrap/k" + i));
            }
            for (int i = 0; i < 64; i++) {
                assertEquals("v" + i, reads.get(i).get(5, TimeUnit.SECONDS));
            }
            Set<Long> ids = new TreeSet<>();
            for (XsMessage m : proxy.requests()) {
                ids.add(Integer.toUnsignedLong(m.reqId()));
            }
            assertTrue(ids.contains(0xfffffff0L) && ids.contains(0xffffffffL), ids.toString());
            assertTrue(ids.contains(0L) && ids.contains(100L), ids.toString());
            assertEquals(128, proxy.requests().size());
            assertEquals(128, ids.size(), "no id used twice in this run");
        }
    }

    @Test
    void anIdStillWaitingForItsReplyIsSkipped(FakeXenHost host) throws Exception {
        try (ReorderingProxy proxy = ReorderingProxy.start(host);
                CoreConnection xs = new CoreConnection(new SocketTransportProvider().open(proxy.uri()),
                        ConnectionOptions.defaults(), 0xffffffff)) {
            xs.write("/wrap/held", "h");
            // The id after the write is 0: hold back the reply to the READ that gets it.
            List<XsMessage> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            proxy.rewriteReplies(m -> {
                if (m.type() == XsMessageType.XS_READ.code() && m.reqId() == 0 && held.isEmpty()) {
                    held.add(m);
                    return List.of();
                }
                return List.of(m);
            });
            CompletableFuture<String> waiting = xs.async().read("/wrap/held");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (held.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(1, held.size());
            xs.mux().restartRequestIdsAt(0);
            assertEquals("h", xs.read("/wrap/held"));
            XsMessage last = proxy.requests().get(proxy.requests().size() - 1);
            assertEquals(1, last.reqId(), "id 0 is in use, so the next request got 1");
            assertTrue(!waiting.isDone());
        }
    }
}
