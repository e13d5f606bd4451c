package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.TestSize;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.spi.connection.ConnectionFactory;
import org.jxenbus.xenstore.spi.connection.TransportSource;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The ground moving under load: xenstored killed and restarted (the connection is replaced on its own, watches
 * set again, requests go on), and the transport switched between xenstored's socket and dom0's ring of the same
 * daemon through the gate. Every call of the load completes; no thread is left behind.
 */
@Tag("transport-specific") // chooses its transports itself
class ReconnectTest {

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
    void xenstoredKilledAndRestartedUnderLoadIsRecoveredEachTime() throws Exception {
        int restarts = TestSize.pick(5, 100);
        ConnectionOptions options = ConnectionOptions.defaults().withRequestTimeout(Duration.ofSeconds(20));
        try (XenstoreConnection xs = Xenstore.open(host.socketUri(), options)) {
            AtomicInteger fired = new AtomicInteger();
            try (RawWatch w = xs.watch("/rc/w", e -> {
                if (e.path().equals("/rc/w")) {
                    fired.incrementAndGet();
                }
            }); GateLoad load = new GateLoad(xs, "/rc/load", 16, false)) {
                WatchServiceTest.await(() -> fired.get() == 1);
                long threadsBefore = TransportFailureTest.connectionThreads();
                for (int i = 0; i < restarts; i++) {
                    Thread.sleep(200);
                    int before = fired.get();
                    long opsBefore = load.operations.get();
                    host.kill();
                    host.restart();
                    WatchServiceTest.await(() -> fired.get() > before);
                    WatchServiceTest.await(() -> load.operations.get() > opsBefore + 100);
                    xs.write("/rc/after" + i, "ok");
                    assertEquals("ok", xs.read("/rc/after" + i), "restart " + i);
                }
                load.stop();
                System.out.printf("xenstored killed and restarted %d times under 16 threads: %s; watch fired %d times%n",
                        restarts, load, fired.get());
                assertEquals(restarts + 1, fired.get(), "the watch was set again after each restart");
                assertTrue(TransportFailureTest.connectionThreads() <= threadsBefore, "no thread left behind");
            }
        }
    }

    @Test
    void switchingBetweenTheSocketAndDom0sRingLosesNothing() throws Exception {
        int switches = TestSize.pick(20, 100);
        AlternatingSource source = new AlternatingSource(host.socketUri(), host.dom0RingUri());
        ConnectionFactory core = ServiceLoader.load(ConnectionFactory.class).findFirst().orElseThrow();
        try (XenstoreConnection xs = core.open(source, ConnectionOptions.defaults())) {
            AtomicInteger fired = new AtomicInteger();
            try (RawWatch w = xs.watch("/sw/w", e -> {
                if (e.path().equals("/sw/w")) {
                    fired.incrementAndGet();
                }
            }); GateLoad load = new GateLoad(xs, "/sw/load", 16, true)) {
                WatchServiceTest.await(() -> fired.get() == 1);
                for (int i = 0; i < switches; i++) {
                    Thread.sleep(20);
                    int before = fired.get();
                    xs.suspendControl().suspend(Duration.ofMillis(50));
                    xs.suspendControl().resume(true);
                    WatchServiceTest.await(() -> fired.get() > before);
                }
                load.stop();
                System.out.printf("%d switches between %s and %s under 16 threads: %s%n", switches, host.socketUri(),
                        host.dom0RingUri(), load);
                assertEquals(switches + 1, fired.get());
                assertEquals(switches + 1, source.opened.get());
                assertEquals(0, xs.statistics().unknownReplies());
                assertEquals(0, load.failuresTolerated.get(), "every request completed correctly");
            }
        }
    }

    /** Opens the two URIs in turn: the same xenstored over its socket, then over dom0's ring. */
    private static final class AlternatingSource implements TransportSource {
        private final URI[] uris;
        final AtomicInteger opened = new AtomicInteger();

        AlternatingSource(URI... uris) {
            this.uris = uris;
        }

        @Override
        public Transport open() throws IOException {
            URI uri = uris[opened.getAndIncrement() % uris.length];
            for (TransportProvider p : ServiceLoader.load(TransportProvider.class)) {
                if (p.accepts(uri)) {
                    return p.open(uri);
                }
            }
            throw new IOException("no transport for " + uri);
        }

        @Override
        public String describe() {
            return "socket and dom0 ring of one xenstored";
        }
    }
}
