package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.NodeExistsException;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.WatchEvent;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The raw watch primitive against xenstored: initial fire, subtree events, removal, EEXIST. */
@ExtendWith(XenstoredExtension.class)
class RawWatchTest {

    @Test
    void initialFireThenOneEventPerChangeInTheSubtree(FakeXenHost host) throws Exception {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            List<WatchEvent> events = new CopyOnWriteArrayList<>();
            try (RawWatch w = xs.watch("/rw/a", events::add)) {
                PrivilegedOperationsTest.awaitSize(events, 1);
                assertEquals(new WatchEvent("/rw/a", w.token()), events.get(0));
                xs.write("/rw/a/b", "1");
                xs.write("/rw/other", "1");
                xs.rm("/rw/a");
                PrivilegedOperationsTest.awaitSize(events, 3);
                assertEquals(List.of("/rw/a", "/rw/a/b", "/rw/a"), paths(events));
            }
            xs.write("/rw/a/c", "after close");
            xs.read("/rw/a/c");
            assertEquals(3, events.size(), "no event after close: " + events);
        }
    }

    /**
     * The closing thread is interrupted while its UNWATCH still waits for the in-flight window (the daemon is
     * paused, one request in flight at most): the UNWATCH must still go out, or the server would keep the watch
     * (and its quota) and send events nobody routes.
     */
    @Test
    void anInterruptedCloseStillRemovesTheServerWatch(FakeXenHost host) throws Exception {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri(), ConnectionOptions.defaults().withMaxInFlight(1))) {
            xs.exists("/"); // a ring's session starts with RESET_WATCHES: let it be answered first
            List<WatchEvent> events = new CopyOnWriteArrayList<>();
            RawWatch w = xs.watch("/rwi/a", events::add);
            PrivilegedOperationsTest.awaitSize(events, 1);
            host.pause();
            java.util.concurrent.CompletableFuture<Boolean> stuck = xs.async().exists("/rwi/a");
            Thread closer = new Thread(w::close, "closer");
            try {
                long written = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                while (xs.statistics().inFlight() < 1 && !stuck.isDone() && System.nanoTime() < written) {
                    Thread.sleep(5); // the stuck request holds the window before the UNWATCH queues behind it
                }
                // The premise: the frozen daemon answers nothing. Seen once in CI at load 10 with the simulator
                // (both waits below ran out: the stuck request had been answered); not a finding about close.
                org.junit.jupiter.api.Assumptions.assumeFalse(stuck.isDone(),
                        "the daemon answered while frozen (SIGSTOP to pid " + host.pid() + " not in effect yet)");
                closer.start();
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                while (xs.statistics().queued() < 1 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertEquals(1, xs.statistics().queued(), "the UNWATCH waits behind the stuck request (stuck answered: "
                        + stuck.isDone() + "; " + xs.statistics() + ")");
                closer.interrupt();
                closer.join(5000);
                assertTrue(!closer.isAlive(), "the interrupted close returned");
            } finally {
                host.resume();
            }
            stuck.get(10, java.util.concurrent.TimeUnit.SECONDS); // answered once the daemon runs again
            xs.write("/rwi/a/x", "1");
            xs.read("/rwi/a/x");
            Thread.sleep(200);
            assertEquals(0, xs.statistics().unknownWatchEvents(), "the server no longer fires the closed watch");
            assertEquals(1, events.size(), events.toString());
        }
    }

    /**
     * A thread already interrupted when it closes a watch (cleanup in a finally block of an interrupted task)
     * still removes the server's watch, returns at once and keeps its interrupt.
     */
    @Test
    void aCloseOnAnAlreadyInterruptedThreadStillRemovesTheServerWatch(FakeXenHost host) throws Exception {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            List<WatchEvent> events = new CopyOnWriteArrayList<>();
            RawWatch w = xs.watch("/rwp/a", events::add);
            PrivilegedOperationsTest.awaitSize(events, 1);
            java.util.concurrent.atomic.AtomicBoolean keptInterrupt = new java.util.concurrent.atomic.AtomicBoolean();
            Thread closer = new Thread(() -> {
                Thread.currentThread().interrupt();
                w.close();
                keptInterrupt.set(Thread.currentThread().isInterrupted());
            }, "interrupted-closer");
            closer.start();
            closer.join(5000);
            assertTrue(!closer.isAlive(), "the close returned");
            assertTrue(keptInterrupt.get(), "the closing thread is still interrupted");
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (xs.statistics().inFlight() + xs.statistics().queued() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5); // the UNWATCH goes out on its own
            }
            xs.write("/rwp/a/x", "1");
            xs.read("/rwp/a/x");
            Thread.sleep(200);
            assertEquals(0, xs.statistics().unknownWatchEvents(), "the server no longer fires the closed watch");
            assertEquals(1, events.size(), events.toString());
        }
    }

    @Test
    void blockingCallFromAListenerIsRefusedNotDeadlocked(FakeXenHost host) throws Exception {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            List<Throwable> caught = new CopyOnWriteArrayList<>();
            try (RawWatch w = xs.watch("/rw/block", e -> {
                try {
                    xs.read("/rw/block");
                } catch (IllegalStateException ex) {
                    caught.add(ex);
                }
            })) {
                PrivilegedOperationsTest.awaitSize(caught, 1);
                assertTrue(caught.get(0).getMessage().contains("I/O thread"), caught.get(0).getMessage());
                xs.write("/rw/block/after", "ok");
                assertEquals("ok", xs.read("/rw/block/after"), "the connection still works");
            }
        }
    }

    @Test
    @Tag("socket-only") // through the reordering proxy, which speaks to a socket
    void aDuplicatePathAndTokenIsNodeExistsFromTheServer(FakeXenHost host) throws Exception {
        try (ReorderingProxy proxy = ReorderingProxy.start(host); XenstoreConnection xs = Xenstore.open(proxy.uri())) {
            proxy.rewriteRequests(RawWatchTest::fixedToken);
            try (RawWatch first = xs.watch("/rw/dup", e -> { })) {
                NodeExistsException e = assertThrows(NodeExistsException.class, () -> xs.watch("/rw/dup", ev -> { }));
                assertEquals("EEXIST", e.errorName());
                assertTrue(first.token().startsWith("jxenbus-"));
            }
        }
    }

    /** Rewrites every WATCH to one fixed token, so the second one collides in xenstored. */
    private static XsMessage fixedToken(XsMessage m) {
        if (m.type() != XsMessageType.XS_WATCH.code()) {
            return m;
        }
        try {
            String path = Payloads.stringList(m.payload()).get(0);
            return new XsMessage(m.type(), m.reqId(), m.txId(), Payloads.strings(path, "fixed-token"));
        } catch (MalformedMessageException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> paths(List<WatchEvent> events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.path()));
        return out;
    }
}
