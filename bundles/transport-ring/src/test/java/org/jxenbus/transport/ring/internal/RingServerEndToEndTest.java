package org.jxenbus.transport.ring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.RawXsClient;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.transport.ring.server.FakeDomainRings;
import org.jxenbus.transport.ring.server.RingServer;
import org.jxenbus.transport.ring.server.ServedRing;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.spi.connection.ConnectionFactory;
import org.jxenbus.xenstore.spi.ring.SharedPage;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.jxenbus.xenstore.spi.transport.IncomingMessages;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our client end against our server end on the fake hypervisor's files: a folder where {@link RingServer}
 * takes xenstored's place and relays to the real xenstored of another folder. Both ends' kick suppression,
 * the server's advertised features, and the reconnection protocol.
 */
@ExtendWith(XenstoredExtension.class)
class RingServerEndToEndTest {

    static final int GUEST = 3;

    Path dir;
    FakeDomainRings rings;
    XenstoredRelay relay;
    RingServer server;
    ServedRing served;

    @BeforeEach
    void serve(FakeXenHost xenstored) throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "jxb-srv-");
        rings = FakeDomainRings.open(dir);
        rings.createDomain(GUEST);
        relay = new XenstoredRelay(xenstored.socket());
        server = new RingServer(rings, relay, true);
        served = server.serve(GUEST, 9);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        relay.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private URI uri() {
        return URI.create("ring:fake:" + dir + "?domid=" + GUEST);
    }

    @Test
    void theClientEndTalksToTheServerEndAndThroughItToXenstored() throws Exception {
        // The module's own classes carry no ServiceLoader file (bnd writes it into the jar), so open by hand.
        ConnectionFactory core = java.util.ServiceLoader.load(ConnectionFactory.class).findFirst().orElseThrow();
        try (XenstoreConnection xs = core.open(new RingTransportProvider().open(uri()), ConnectionOptions.defaults())) {
            xs.write("/e2e/a", "through our server");
            assertEquals("through our server", xs.read("/e2e/a"));
            assertThrows(NoSuchNodeException.class, () -> xs.read("/e2e/missing"));
            byte[] big = new byte[4000];
            java.util.Arrays.fill(big, (byte) 'z');
            xs.write("/e2e/big", big);
            assertEquals(new String(big), xs.read("/e2e/big"));
            List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (var w = xs.watch("/e2e/w", e -> events.add(e.path()))) {
                xs.write("/e2e/w/x", "1");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (events.size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                assertEquals(List.of("/e2e/w", "/e2e/w/x"), events);
            }
            int n = 2000;
            List<java.util.concurrent.CompletableFuture<String>> reads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                reads.add(xs.async().read("/e2e/a"));
            }
            for (var f : reads) {
                assertEquals("through our server", f.get(10, TimeUnit.SECONDS));
            }
            long requests = xs.statistics().requestsSent();
            long clientKicks = xs.statistics().transportCounters().get("kicksSent");
            System.out.printf("our client <-> our server, suppression on both ends: %d requests, client kicks %.3f "
                    + "per request, server kicks %.3f per request, timeouts that found work %d%n", requests,
                    clientKicks / (double) requests, served.kicksSent() / (double) requests,
                    xs.statistics().transportCounters().get("timeoutsWithWork"));
            assertEquals(0L, xs.statistics().transportCounters().get("timeoutsWithWork"));
            assertTrue(clientKicks < requests && served.kicksSent() < requests, "suppression saves kicks");
        }
    }

    @Test
    void theServerAdvertisesReconnectionAndTheErrorField() throws IOException {
        try (SharedPage page = new org.jxenbus.transport.ring.fake.FakeHost(dir).mapRing(GUEST)) {
            assertEquals(XenstoreRing.FEATURE_RECONNECTION | XenstoreRing.FEATURE_ERROR,
                    page.getIntVolatile(XenstoreRing.SERVER_FEATURES));
        }
    }

    @Test
    void aReconnectionMakesTheServerForgetEverythingOfTheRing(FakeXenHost xenstored) throws Exception {
        RingTransport t = (RingTransport) new RingTransportProvider().open(uri());
        try (RawXsClient dom0 = new RawXsClient(xenstored.socket())) {
            Pump pump = new Pump(t);
            assertEquals(XsMessageType.XS_WATCH.code(),
                    pump.call(new XsMessage(XsMessageType.XS_WATCH.code(), 1, 0, Payloads.strings("/rc/w", "tok"))).type());
            pump.awaitEvent("/rc/w");
            t.reconnect(TimeUnit.SECONDS.toNanos(5));
            try (SharedPage page = new org.jxenbus.transport.ring.fake.FakeHost(dir).mapRing(GUEST)) {
                assertEquals(XenstoreRing.CONNECTED, page.getIntVolatile(XenstoreRing.CONNECTION));
            }
            dom0.write("/rc/w/after", "x");
            XsMessage read = pump.call(new XsMessage(XsMessageType.XS_READ.code(), 2, 0, Payloads.strings("/rc/w/after")));
            assertEquals("x", new String(read.payload()));
            assertTrue(pump.events.isEmpty(), "the server forgot the watch: " + pump.events);
            XsMessage again = pump.call(new XsMessage(XsMessageType.XS_WATCH.code(), 3, 0, Payloads.strings("/rc/w", "tok")));
            assertEquals(XsMessageType.XS_WATCH.code(), again.type(), "the same watch again is not EEXIST");
        } finally {
            t.close();
        }
    }

    /** Drives a transport by hand on the test's thread, as the core's I/O thread would. */
    private static final class Pump implements IncomingMessages {
        private final RingTransport t;
        private final Deque<XsMessage> outgoing = new ArrayDeque<>();
        private final Deque<XsMessage> replies = new ArrayDeque<>();
        final List<String> events = new ArrayList<>();

        Pump(RingTransport t) {
            this.t = t;
        }

        @Override
        public void deliver(XsMessage m) {
            if (m.type() == XsMessageType.XS_WATCH_EVENT.code()) {
                try {
                    events.add(Payloads.watchEvent(m.payload()).get(0));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            } else {
                replies.add(m);
            }
        }

        XsMessage call(XsMessage request) throws Exception {
            outgoing.add(request);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (replies.isEmpty() && System.nanoTime() < deadline) {
                boolean flushed = t.write(outgoing::poll);
                t.read(this);
                if (replies.isEmpty()) {
                    t.await(!flushed, TimeUnit.MILLISECONDS.toNanos(50));
                }
            }
            assertEquals(1, replies.size(), "one reply to " + request);
            return replies.poll();
        }

        void awaitEvent(String path) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!events.contains(path) && System.nanoTime() < deadline) {
                t.read(this);
                t.await(false, TimeUnit.MILLISECONDS.toNanos(50));
            }
            assertTrue(events.remove(path), "event " + path + " in " + events);
        }
    }
}
