package org.jxenbus.xenstore.sim.internal.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

import org.jxenbus.transport.ring.fake.FakeEventChannels;
import org.jxenbus.transport.ring.fake.FakeHost;
import org.jxenbus.transport.ring.server.FakeDomainRings;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.sim.SimulatorOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dom0's ring served as on a real Xen host ({@code serveDom0}, what {@code --xen-dom0} does with the Xen
 * devices), here on a fake host's rings: dom0's kernel gets a kick before it sends anything (it waits for
 * one before probing xenbus, as xenstored's dom0_init gives it), then its requests are answered as dom0's.
 */
class Dom0RingTest {

    Path dir;
    SimulatorRuntime sim;

    @BeforeEach
    void start() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "jxb-dom0-");
        new FakeHost(dir).createDomain(0);
        sim = SimulatorRuntime.start(SimulatorOptions.defaults());
    }

    @AfterEach
    void stop() throws IOException {
        sim.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void dom0sKernelIsKickedOnceServedBeforeItAsksAnything() throws Exception {
        try (FakeEventChannels kernel = FakeEventChannels.guest(new FakeHost(dir), 0)) {
            int kernelPort = kernel.bindUnbound(0);
            sim.serveDom0(FakeDomainRings.open(dir), kernelPort);
            int[] kicked = {-1};
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (kicked[0] < 0 && System.nanoTime() < deadline) {
                kernel.await(TimeUnit.MILLISECONDS.toNanos(200), port -> kicked[0] = port);
            }
            assertEquals(kernelPort, kicked[0], "the first kick, on the kernel's port");
            assertEquals(0, kernel.counters().kicksSent(), "nothing asked before the kick");
        }
        try (XenstoreConnection dom0 = Xenstore.open(URI.create("ring:fake:" + dir + "?domid=0"))) {
            dom0.write("/local/domain/0/control/feature-poweroff", "1");
            assertEquals("1", dom0.read("/local/domain/0/control/feature-poweroff"));
            assertTrue(dom0.directory("/").contains("tool"));
        }
    }

    @Test
    void anOfferedRingIsServedAsAPrivilegedConnectionOfItsOwnBesideDom0s() throws Exception {
        sim.serveDom0(FakeDomainRings.open(dir), 1);
        new FakeHost(dir).createDomain(7); // on the fake host, domain 7's ring file stands for the offered grant
        AutoCloseable served = sim.serveGrant(7, 0, 3);
        try (XenstoreConnection offered = Xenstore.open(URI.create("ring:fake:" + dir + "?domid=7"));
                XenstoreConnection dom0 = Xenstore.open(URI.create("ring:fake:" + dir + "?domid=0"))) {
            offered.write("/offered", "at the root, as only a privileged client may");
            assertEquals("at the root, as only a privileged client may", dom0.read("/offered"));
            dom0.write("/local/domain/0/name", "Domain-0");
            assertEquals("Domain-0", offered.read("/local/domain/0/name"));
        }
        served.close();
    }

    @Test
    void aSecondRingHostIsRefusedAndItsDevicesReleased() throws Exception {
        sim.serveDom0(FakeDomainRings.open(dir), 1);
        Path other = Files.createTempDirectory(Path.of("/tmp"), "jxb-dom0-other-");
        try {
            assertThrows(IllegalStateException.class, () -> sim.serveDom0(FakeDomainRings.open(other), 1));
            assertThrows(IllegalStateException.class, () -> sim.serveRings(other, false));
        } finally {
            try (var files = Files.walk(other)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
