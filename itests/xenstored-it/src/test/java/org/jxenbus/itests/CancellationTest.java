package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.OutcomeUnknownException;
import org.jxenbus.xenstore.api.RequestScope;
import org.jxenbus.xenstore.api.XenstoreCancelledException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cancellation before the request is written (dropped: the server never sees it), while it is being written
 * (finished: the stream stays in sync), and after (the late reply is discarded), by future and by scope.
 */
@ExtendWith(XenstoredExtension.class)
class CancellationTest {

    @Test
    @Tag("socket-only") // through the reordering proxy, which speaks to a socket
    void aRequestCancelledBeforeItIsWrittenNeverReachesTheServer(FakeXenHost host) throws Exception {
        try (ReorderingProxy proxy = ReorderingProxy.start(host);
                XenstoreConnection xs = Xenstore.open(proxy.uri(), ConnectionOptions.defaults().withMaxInFlight(1))) {
            xs.write("/cx/a", "1");
            host.pause();
            CompletableFuture<String> inFlight;
            CompletableFuture<Void> queued;
            try {
                inFlight = xs.async().read("/cx/a");
                queued = xs.async().write("/cx/never", "x");
                TimeoutCompensationTest.awaitStat(() -> xs.statistics().inFlight() == 1
                        && xs.statistics().queued() == 1, xs);
                assertTrue(queued.cancel(false));
            } finally {
                host.resume();
            }
            assertEquals("1", inFlight.get(5, TimeUnit.SECONDS));
            assertThrows(CancellationException.class, queued::join);
            assertEquals("1", xs.read("/cx/a"));
            assertTrue(proxy.requests().stream().noneMatch(m -> m.type() == XsMessageType.XS_WRITE.code()
                    && new String(m.payload()).startsWith("/cx/never")), "the cancelled write was never sent");
            assertTrue(!xs.exists("/cx/never"));
        }
    }

    @Test
    void aScopeCancelsABlockedCallWhoseRequestWasNotWritten(FakeXenHost host) throws Exception {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri(), ConnectionOptions.defaults().withMaxInFlight(1));
                CloseablePool pool = new CloseablePool()) {
            xs.write("/cx/s", "1");
            host.pause();
            RequestScope scope = RequestScope.create();
            Future<?> blocked;
            try {
                CompletableFuture<String> first = xs.async().read("/cx/s");
                TimeoutCompensationTest.awaitStat(() -> xs.statistics().inFlight() >= 1, xs);
                blocked = pool.submit(() -> xs.within(scope).write("/cx/scoped", "x"));
                TimeoutCompensationTest.awaitStat(() -> xs.statistics().queued() == 1, xs);
                scope.cancel();
                Throwable t = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> blocked.get(2, TimeUnit.SECONDS)).getCause();
                assertInstanceOf(XenstoreCancelledException.class, t, "not written, so not outcome-unknown");
                assertTrue(scope.isCancelled());
                assertThrows(XenstoreCancelledException.class, () -> xs.within(scope).read("/cx/s"),
                        "later calls of a cancelled scope fail at once");
            } finally {
                host.resume();
            }
            assertTrue(!xs.exists("/cx/scoped"));
        }
    }

    @Test
    void aScopeCancellingAWrittenChangeReportsUnknownOutcomeAndDiscardsTheLateReply(FakeXenHost host)
            throws Exception {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri()); CloseablePool pool = new CloseablePool()) {
            xs.exists("/"); // a ring's session starts with RESET_WATCHES: let it be answered first
            host.pause();
            RequestScope scope = RequestScope.create();
            try {
                Future<?> blocked = pool.submit(() -> xs.within(scope).write("/cx/written", "x"));
                TimeoutCompensationTest.awaitStat(() -> xs.statistics().inFlight() >= 1, xs);
                scope.cancel();
                Throwable t = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> blocked.get(2, TimeUnit.SECONDS)).getCause();
                assertInstanceOf(OutcomeUnknownException.class, t);
                assertEquals(OutcomeUnknownException.Reason.CANCELLED, ((OutcomeUnknownException) t).reason());
            } finally {
                host.resume();
            }
            TimeoutCompensationTest.awaitStat(() -> xs.statistics().lateReplies() == 1, xs);
            assertEquals("x", xs.read("/cx/written"));
            assertEquals(0, xs.statistics().unknownReplies());
        }
    }

    @Test
    void cancellingLargeWritesMidStreamKeepsTheStreamInSync(FakeXenHost host) throws Exception {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            byte[] big = new byte[4000];
            java.util.Arrays.fill(big, (byte) 'b');
            int n = 400;
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            host.pause();
            try {
                for (int i = 0; i < n; i++) {
                    writes.add(xs.async().write("/cx/big/" + i, big));
                }
                // Over the socket the window fills; over the 1 KiB ring the first message is taken and only partly
                // written, since the stopped server consumes nothing: either way one is mid-write.
                TimeoutCompensationTest.awaitStat(() -> xs.statistics().inFlight() >= 1 && xs.statistics().queued() > 0,
                        xs);
                Thread.sleep(100);
                writes.forEach(w -> w.cancel(false));
            } finally {
                host.resume();
            }
            xs.write("/cx/big-after", "ok");
            assertEquals("ok", xs.read("/cx/big-after"), "the stream is in sync after cancelled large writes");
            List<String> written = xs.directory("/cx/big");
            assertTrue(!written.isEmpty(), "the writes already sent were finished and applied");
            assertTrue(written.size() < n, "the writes not yet taken were dropped: " + written.size());
            for (String name : written) {
                assertEquals(4000, xs.readBytes("/cx/big/" + name).length, "each applied write arrived whole");
            }
            assertEquals(0, xs.statistics().unknownReplies());
        }
    }

    @Test
    void aCancelledFutureAfterWriteGetsItsLateReplyDiscarded(FakeXenHost host) throws Exception {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            xs.write("/cx/late", "v");
            host.pause();
            CompletableFuture<String> f;
            try {
                f = xs.async().read("/cx/late");
                TimeoutCompensationTest.awaitStat(() -> xs.statistics().inFlight() >= 1, xs);
                assertTrue(f.cancel(false));
            } finally {
                host.resume();
            }
            TimeoutCompensationTest.awaitStat(() -> xs.statistics().lateReplies() == 1, xs);
            assertEquals("v", xs.read("/cx/late"));
        }
    }

    /** A small executor closed with the test. */
    static final class CloseablePool implements AutoCloseable {
        private final ExecutorService pool = Executors.newCachedThreadPool();

        Future<?> submit(Runnable r) {
            return pool.submit(r);
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }
}
