package org.jxenbus.xenstore.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jxenbus.transport.ring.fake.FakeHost;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.spi.ring.SharedPage;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rings served on a fake-hypervisor folder: requests larger than the ring, pipelined, cross it whole (the
 * server shows itself one request at a time, its header read before any of it is consumed, and kicks a
 * client waiting for room); a guest's ring works with its relative paths; indices a client moves on an idle
 * ring are followed, as xenstored follows them (itests/xenstored-it's RingLifecycleTest against both).
 */
class RingServingTest {

    Path dir;
    XenstoreSimulator sim;
    Endpoint rings;

    @BeforeEach
    void serve() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "jxb-rings-");
        sim = XenstoreSimulator.start();
        rings = sim.serveRings(dir, true);
    }

    @AfterEach
    void stop() throws IOException {
        rings.close();
        sim.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void threeHundredPipelinedWritesLargerThanTheRingAllArrive() throws Exception {
        try (XenstoreConnection xs = Xenstore.open(URI.create("ring:fake:" + dir + "?domid=0"))) {
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                byte[] v = new byte[4000];
                java.util.Arrays.fill(v, (byte) ('a' + i % 26));
                writes.add(xs.async().write("/big/v" + i, v));
            }
            for (CompletableFuture<Void> w : writes) {
                w.get(30, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 300; i += 37) {
                byte[] v = new byte[4000];
                java.util.Arrays.fill(v, (byte) ('a' + i % 26));
                assertArrayEquals(v, xs.readBytes("/big/v" + i));
            }
        }
    }

    @Test
    void indicesMovedByTheClientOnAnIdleRingAreFollowedAcrossThe32BitWrap() throws Exception {
        URI dom0 = URI.create("ring:fake:" + dir + "?domid=0");
        ConnectionOptions quick = ConnectionOptions.defaults().withRequestTimeout(java.time.Duration.ofSeconds(5));
        try (XenstoreConnection xs = Xenstore.open(dom0, quick)) {
            xs.write("/wrap/before", "1"); // the server has seen the indices at 0 and its replies
        }
        try (SharedPage page = new FakeHost(dir).mapRing(0)) {
            for (int offset : new int[] {XenstoreRing.REQ_CONS, XenstoreRing.REQ_PROD, XenstoreRing.RSP_CONS,
                    XenstoreRing.RSP_PROD}) {
                page.setIntVolatile(offset, 0xffffff00);
            }
        }
        try (XenstoreConnection xs = Xenstore.open(dom0, quick)) {
            byte[] big = new byte[3000];
            for (int i = 0; i < 20; i++) {
                java.util.Arrays.fill(big, (byte) ('a' + i));
                xs.write("/wrap/v" + i, big);
                assertArrayEquals(big, xs.readBytes("/wrap/v" + i));
            }
            assertEquals("1", xs.read("/wrap/before"));
        }
        try (SharedPage page = new FakeHost(dir).mapRing(0)) {
            int prod = page.getIntVolatile(XenstoreRing.REQ_PROD);
            assertTrue(Integer.compareUnsigned(prod, 0xffffff00) < 0, "the request index wrapped past 2^32: "
                    + Integer.toUnsignedString(prod));
        }
    }

    @Test
    void anIntroducedGuestIsServedOnItsRing() throws Exception {
        sim.createDomain(4);
        try (RawClient dom0 = new RawClient(sim.uri())) {
            assertEquals("OK|", dom0.call(org.jxenbus.xenstore.spi.wire.XsMessageType.XS_INTRODUCE, "4", "0", "7"));
            assertEquals("OK|", dom0.call(org.jxenbus.xenstore.spi.wire.XsMessageType.XS_MKDIR, "/local/domain/4"));
            assertEquals("OK|", dom0.call(org.jxenbus.xenstore.spi.wire.XsMessageType.XS_SET_PERMS, "/local/domain/4",
                    "n4"));
        }
        try (XenstoreConnection guest = Xenstore.open(URI.create("ring:fake:" + dir + "?domid=4"))) {
            guest.write("name", "four");
            assertEquals("four", guest.read("/local/domain/4/name"));
        }
        try (SharedPage page = new FakeHost(dir).mapRing(4)) {
            assertEquals(0, page.getIntVolatile(XenstoreRing.SERVER_FEATURES));
        }
    }
}
