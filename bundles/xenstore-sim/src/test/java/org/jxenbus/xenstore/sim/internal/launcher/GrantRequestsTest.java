package org.jxenbus.xenstore.sim.internal.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.sim.Endpoint;
import org.jxenbus.xenstore.sim.XenstoreSimulator;
import org.junit.jupiter.api.Test;

/**
 * {@code --grant-requests DIR}: a request file makes the daemon serve an offered ring (here a fake host's
 * ring file stands for the grant) and is renamed {@code .served}; a malformed one gets {@code .failed} with
 * the reason; the option needs rings served.
 */
class GrantRequestsTest {

    @Test
    void aRequestIsServedAndAnsweredInTheFolder() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jxb-grants-");
        try (XenstoreSimulator sim = XenstoreSimulator.start(); Endpoint rings = sim.serveRings(dir.resolve("host"), true)) {
            sim.createDomain(7);
            try (GrantRequests requests = new GrantRequests(dir.resolve("requests"), sim)) {
                request(dir.resolve("requests"), "bad", "7 0\n");
                request(dir.resolve("requests"), "ok", "7 0 3\n");
                awaitFile(dir.resolve("requests/ok.served"));
                awaitFile(dir.resolve("requests/bad.failed"));
                assertTrue(Files.readString(dir.resolve("requests/bad.failed")).contains("want DOMID GREF PORT"));
                assertFalse(Files.exists(dir.resolve("requests/bad.request")));
                try (XenstoreConnection offered = Xenstore.open(URI.create("ring:fake:" + dir.resolve("host")
                        + "?domid=7"))) {
                    offered.write("/served", "yes");
                    assertEquals("yes", offered.read("/served"));
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void needsRingsServed() {
        assertThrows(IllegalArgumentException.class, () -> XenstoredSimMain.Options.parse(
                new String[] {"--socket", "/s", "--grant-requests", "/d"}));
        assertEquals(Path.of("/d"), XenstoredSimMain.Options.parse(
                new String[] {"--xen-dom0", "--grant-requests", "/d"}).grantRequests);
    }

    /** Writes a request as clients must: whole, under another name first (the folder is polled). */
    private static void request(Path dir, String name, String text) throws java.io.IOException {
        Path partial = dir.resolve(name + ".partial");
        Files.writeString(partial, text);
        Files.move(partial, dir.resolve(name + ".request"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void awaitFile(Path p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(p) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(p), p + " never appeared");
    }
}
