package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.TransportFailureException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * When xenstored dies or the connection is closed, every queued and waiting request fails within a second
 * and no connection thread survives. Each test gets its own xenstored, since some kill it.
 */
@Tag("socket-only") // a killed xenstored closes its socket; a dead ring peer gives no EOF
class TransportFailureTest {

    /** Without reconnection, so the failure itself is what the tests see. */
    static final ConnectionOptions NO_RECONNECT = ConnectionOptions.defaults().withReconnect(false);

    FakeXenHost host;

    @BeforeEach
    void start() {
        host = FakeXenHost.start();
    }

    @AfterEach
    void stop() {
        host.resume();
        host.close();
    }

    @Test
    void killedXenstoredFailsEveryPendingRequestWithinASecond() throws Exception {
        XenstoreConnection xs = Xenstore.open(host.socketUri(), NO_RECONNECT);
        xs.write("/fail/a", "v");
        host.pause();
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            waiting.add(xs.async().read("/fail/a"));
        }
        awaitInFlight(xs);
        assertTrue(xs.statistics().queued() > 0, "some requests wait beyond the window: " + xs.statistics());
        host.kill();
        long killedAt = System.nanoTime(); // the daemon is dead (reaped) from here on
        for (CompletableFuture<String> f : waiting) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> f.get(killedAt + TimeUnit.SECONDS.toNanos(1) - System.nanoTime(), TimeUnit.NANOSECONDS));
            assertInstanceOf(TransportFailureException.class, e.getCause());
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertTrue(tookMillis < 1000, "all failed within a second: " + tookMillis + " ms");
        assertThrows(TransportFailureException.class, () -> xs.read("/fail/a"), "later requests fail at once");
        xs.close();
        assertNoConnectionThreads();
    }

    @Test
    void closeFailsQueuedAndWaitingRequestsAndStopsTheThread() throws Exception {
        XenstoreConnection xs = Xenstore.open(host.socketUri(), NO_RECONNECT);
        xs.write("/fail/b", "v");
        host.pause();
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            waiting.add(xs.async().read("/fail/b"));
        }
        awaitInFlight(xs);
        long closedAt = System.nanoTime();
        xs.close();
        for (CompletableFuture<String> f : waiting) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(1, TimeUnit.SECONDS));
            assertInstanceOf(TransportFailureException.class, e.getCause());
        }
        assertTrue(System.nanoTime() - closedAt < TimeUnit.SECONDS.toNanos(1));
        assertNoConnectionThreads();
        xs.close();
    }

    @Test
    void anIdleConnectionHoldsNoThread() throws Exception {
        ConnectionOptions quick = NO_RECONNECT.withIdleLinger(Duration.ofMillis(50));
        try (XenstoreConnection xs = Xenstore.open(host.socketUri(), quick)) {
            assertNoConnectionThreads();
            xs.write("/fail/idle", "1");
            assertEquals("1", xs.read("/fail/idle"));
            assertTrue(connectionThreads() >= 1);
            assertNoConnectionThreads();
            assertEquals("1", xs.read("/fail/idle"), "the thread comes back for the next request");
        }
        assertNoConnectionThreads();
    }

    private static void awaitInFlight(XenstoreConnection xs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (xs.statistics().inFlight() < xs.statistics().maxInFlight() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(xs.statistics().maxInFlight(), xs.statistics().inFlight(), xs.statistics().toString());
    }

    static long connectionThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("xenstore-io-"))
                .filter(Thread::isAlive).count();
    }

    static void assertNoConnectionThreads() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (connectionThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, connectionThreads(), "connection threads left");
    }
}
