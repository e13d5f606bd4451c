package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreTimeoutException;
import org.jxenbus.xenstore.api.watch.OwnedWatchService;
import org.jxenbus.xenstore.api.watch.Watch;
import org.jxenbus.xenstore.api.watch.WatchListener;
import org.jxenbus.xenstore.api.watch.WatchOptions;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The watch service against xenstored: sharing, fan-out, dispatch rules, waitFor. */
@ExtendWith(XenstoredExtension.class)
class WatchServiceTest {

    XenstoreConnection xs;
    OwnedWatchService watches;

    @BeforeEach
    void open(FakeXenHost host) {
        xs = Xenstore.open(host.clientUri());
        watches = Xenstore.watches(xs);
    }

    @AfterEach
    void close() {
        watches.close();
        xs.close();
    }

    @Test
    void initialFireThenWritesAndSubtreeRemoval() throws Exception {
        Recorder r = new Recorder();
        try (Watch w = watches.watch("/ws/a", r)) {
            await(() -> r.paths.size() == 1);
            xs.write("/ws/a/b", "1");
            xs.write("/ws/a/b/c", "2");
            await(() -> r.paths.size() == 3);
            xs.rm("/ws/a");
            await(() -> r.paths.size() == 4);
            assertEquals(List.of("/ws/a", "/ws/a/b", "/ws/a/b/c", "/ws/a"), r.paths);
            assertEquals("/ws/a", w.path());
        }
    }

    @Test
    void relativePathsGiveRelativeEvents() throws Exception {
        Recorder r = new Recorder();
        try (Watch w = watches.watch("rel/x", r)) {
            await(() -> r.paths.size() == 1);
            xs.write("rel/x/y", "1");
            await(() -> r.paths.size() == 2);
            assertEquals(List.of("rel/x", "rel/x/y"), r.paths);
        }
    }

    @Test
    void depthZeroSeesOnlyTheNodeItself() throws Exception {
        Recorder node = new Recorder();
        Recorder all = new Recorder();
        try (Watch w0 = watches.watch("/ws/d", 0, node); Watch wAll = watches.watch("/ws/d", all)) {
            await(() -> node.paths.size() == 1 && all.paths.size() == 1);
            xs.write("/ws/d/child", "1");
            xs.write("/ws/d", "self");
            await(() -> all.paths.size() == 3);
            await(() -> node.paths.size() == 2);
            assertEquals(List.of("/ws/d", "/ws/d"), node.paths);
            assertEquals(1, watches.statistics().serverWatches(), "both depths share one server watch");
        }
    }

    @Test
    void noEventReachesAListenerAfterItsWatchIsClosed() throws Exception {
        Recorder r = new Recorder();
        Recorder other = new Recorder();
        try (Watch keep = watches.watch("/ws/closed", other)) {
            Watch w = watches.watch("/ws/closed", r);
            await(() -> r.paths.size() == 1 && other.paths.size() == 1);
            w.close();
            xs.write("/ws/closed/after", "1");
            await(() -> other.paths.size() == 2);
            assertEquals(List.of("/ws/closed"), r.paths);
        }
    }

    @Test
    @Tag("socket-only") // counts messages at the reordering proxy, which speaks to a socket
    void aHundredListenersOfOnePathShareOneServerWatch(FakeXenHost host) throws Exception {
        try (ReorderingProxy proxy = ReorderingProxy.start(host); XenstoreConnection c = Xenstore.open(proxy.uri());
                OwnedWatchService service = Xenstore.watches(c)) {
            List<Recorder> recorders = new ArrayList<>();
            List<Watch> handles = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Recorder r = new Recorder();
                recorders.add(r);
                handles.add(service.watch("/ws/shared", r));
            }
            await(() -> recorders.stream().allMatch(r -> r.paths.size() == 1));
            for (Recorder r : recorders) {
                assertEquals(List.of("/ws/shared"), r.paths, "each listener hears its initial event once");
            }
            assertEquals(1, count(proxy, XsMessageType.XS_WATCH), "one WATCH on the wire");
            c.write("/ws/shared/x", "1");
            await(() -> recorders.stream().allMatch(r -> r.paths.size() == 2));
            for (int i = 0; i < 99; i++) {
                handles.get(i).close();
            }
            assertEquals(0, count(proxy, XsMessageType.XS_UNWATCH), "no UNWATCH while a listener remains");
            handles.get(99).close();
            assertEquals(1, count(proxy, XsMessageType.XS_UNWATCH), "the last close sends one UNWATCH");
            assertEquals(0, service.statistics().serverWatches());
        }
    }

    /**
     * The Linux xenbus device delivers a new watch's initial event before the WATCH acknowledgement (seen on
     * the real-Xen lane); the proxy reproduces that order. Setting the server watch must not hold a lock the
     * event's delivery needs, or the I/O thread blocks and the acknowledgement is never read.
     */
    @Test
    @Tag("socket-only") // the proxy speaks to a socket
    void anInitialEventArrivingBeforeTheAcknowledgementIsDelivered(FakeXenHost host) throws Exception {
        try (ReorderingProxy proxy = ReorderingProxy.start(host)) {
            List<XsMessage> heldAcks = new CopyOnWriteArrayList<>();
            proxy.rewriteReplies(m -> {
                if (m.type() == XsMessageType.XS_WATCH.code()) {
                    heldAcks.add(m);
                    return List.of();
                }
                if (m.type() == XsMessageType.XS_WATCH_EVENT.code() && !heldAcks.isEmpty()) {
                    return List.of(m, heldAcks.remove(0));
                }
                return List.of(m);
            });
            try (XenstoreConnection c = Xenstore.open(proxy.uri(),
                    ConnectionOptions.defaults().withRequestTimeout(Duration.ofSeconds(10)));
                    OwnedWatchService service = Xenstore.watches(c)) {
                Recorder first = new Recorder();
                Recorder second = new Recorder();
                try (Watch a = service.watch("/ws/early", first); Watch b = service.watch("/ws/early", second)) {
                    await(() -> first.paths.size() == 1 && second.paths.size() == 1);
                    c.write("/ws/early/x", "1");
                    await(() -> first.paths.size() == 2 && second.paths.size() == 2);
                }
                assertEquals(List.of("/ws/early", "/ws/early/x"), first.paths);
            }
        }
    }

    @Test
    void aBlockedListenerDelaysOnlyItselfUntilEveryDispatchThreadIsBlocked(FakeXenHost host) throws Exception {
        int threads = 3;
        WatchOptions options = new WatchOptions(threads, 1024, Duration.ofMillis(100));
        try (OwnedWatchService service = Xenstore.watches(xs, options)) {
            CountDownLatch release = new CountDownLatch(1);
            List<Watch> blocked = new ArrayList<>();
            Recorder free = new Recorder();
            try (Watch f = service.watch("/ws/free", free)) {
                await(() -> free.paths.size() == 1);
                for (int i = 0; i < threads - 1; i++) {
                    blocked.add(service.watch("/ws/block" + i, new Blocker(release)));
                }
                xs.write("/ws/free/a", "1");
                await(() -> free.paths.size() == 2);
                assertEquals(0, service.statistics().dispatchWaits(), "fewer blocked than threads: nobody waits");

                blocked.add(service.watch("/ws/block" + (threads - 1), new Blocker(release)));
                blocked.add(service.watch("/ws/block" + threads, new Blocker(release)));
                Thread.sleep(300);
                xs.write("/ws/free/b", "1");
                Thread.sleep(500);
                assertEquals(2, free.paths.size(), "with every thread blocked, the free listener's event waits");
                assertTrue(service.statistics().dispatchWaits() > 0, service.statistics().toString());
                assertEquals(threads, service.statistics().blockedListeners(), service.statistics().toString());

                release.countDown();
                await(() -> free.paths.size() == 3);
                assertEquals(List.of("/ws/free", "/ws/free/a", "/ws/free/b"), free.paths);
            } finally {
                release.countDown();
                blocked.forEach(Watch::close);
            }
        }
    }

    @Test
    void waitForConvergesOnAConditionSpreadOverSeveralNodes(FakeXenHost host) throws Exception {
        Thread writer = new Thread(() -> {
            try (XenstoreConnection other = Xenstore.open(host.socketUri())) {
                for (String node : new String[] {"a", "b", "c"}) {
                    Thread.sleep(100);
                    other.write("/wf/" + node, "ready");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        writer.start();
        long t0 = System.nanoTime();
        String result = watches.waitFor(store -> {
            for (String node : new String[] {"a", "b", "c"}) {
                try {
                    if (!"ready".equals(store.read("/wf/" + node))) {
                        return null;
                    }
                } catch (NoSuchNodeException e) {
                    return null;
                }
            }
            return "all ready";
        }, Duration.ofSeconds(10));
        writer.join();
        assertEquals("all ready", result);
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(300), "it waited for the third write");
        assertEquals(0, watches.statistics().serverWatches(), "its watches are gone once it returns");
    }

    @Test
    void waitForTimesOutWithATypedError() {
        XenstoreTimeoutException e = assertThrows(XenstoreTimeoutException.class,
                () -> watches.waitFor(store -> store.exists("/wf/never") ? "yes" : null, Duration.ofMillis(200)));
        assertTrue(e.getMessage().contains("/wf/never"), e.getMessage());
    }

    private static long count(ReorderingProxy proxy, XsMessageType type) {
        return proxy.requests().stream().filter(m -> m.type() == type.code()).count();
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        await(condition, 10);
    }

    static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(condition.getAsBoolean(), "condition not reached in " + seconds + " s");
    }

    /** Records every path it is told about. */
    static final class Recorder implements WatchListener {
        final List<String> paths = new CopyOnWriteArrayList<>();
        volatile int overflows;

        @Override
        public void changed(String path) {
            paths.add(path);
        }

        @Override
        public void overflowed() {
            overflows++;
        }
    }

    /** Blocks its dispatch thread until released. */
    private static final class Blocker implements WatchListener {
        private final CountDownLatch release;

        Blocker(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public void changed(String path) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
