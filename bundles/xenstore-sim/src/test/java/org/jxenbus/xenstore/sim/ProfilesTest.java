package org.jxenbus.xenstore.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jxenbus.transport.ring.fake.FakeHost;
import org.jxenbus.xenstore.spi.ring.SharedPage;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the two profiles advertise on rings and what WATCH accepts: {@code xen-4.17} advertises nothing
 * (server_features 0, as measured on the test bed) and takes exactly path and token; {@code modern}
 * advertises reconnection, the error field and watch depth, and honours a depth.
 */
class ProfilesTest {

    Path dir;

    @BeforeEach
    void folder() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "jxb-prof-");
    }

    @AfterEach
    void clean() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private int features(Profile profile, int domid) throws IOException {
        try (XenstoreSimulator sim = XenstoreSimulator.start(SimulatorOptions.defaults().withProfile(profile));
                Endpoint rings = sim.serveRings(dir, true)) {
            sim.createDomain(3);
            sim.introduceDomain(3, 9);
            try (SharedPage page = new FakeHost(dir).mapRing(domid)) {
                return page.getIntVolatile(XenstoreRing.SERVER_FEATURES);
            }
        }
    }

    @Test
    void xen417AdvertisesNoFeaturesOnDom0sOrAGuestsRing() throws IOException {
        assertEquals(0, features(Profile.XEN_4_17, 0));
        assertEquals(0, features(Profile.XEN_4_17, 3));
    }

    @Test
    void modernAdvertisesReconnectionErrorAndWatchDepth() throws IOException {
        assertEquals(XenstoreRing.FEATURE_RECONNECTION | XenstoreRing.FEATURE_ERROR | XenstoreRing.FEATURE_WATCHDEPTH,
                features(Profile.MODERN, 3));
    }

    @Test
    void xen417RefusesAWatchDepth() throws Exception {
        try (XenstoreSimulator sim = XenstoreSimulator.start(); RawClient c = new RawClient(sim.uri())) {
            assertEquals("ERR EINVAL", c.call(XsMessageType.XS_WATCH, "/a", "t", "1"));
        }
    }

    @Test
    void modernLimitsAWatchToItsDepth() throws Exception {
        try (XenstoreSimulator sim = XenstoreSimulator.start(SimulatorOptions.defaults().withProfile(Profile.MODERN));
                RawClient c = new RawClient(sim.uri())) {
            assertEquals("OK|", c.call(XsMessageType.XS_WATCH, "/a", "d0", "0"));
            assertEquals("OK|", c.call(XsMessageType.XS_WATCH, "/a", "d1", "1"));
            assertEquals("OK|", c.call(XsMessageType.XS_WATCH, "/a", "all"));
            assertEquals("ERR EINVAL", c.call(XsMessageType.XS_WATCH, "/a", "neg", "-1"));
            assertEquals(List.of("/a|d0|", "/a|d1|", "/a|all|"), c.events());
            assertEquals("OK|", c.call(XsMessageType.XS_WRITE, 0, RawClient.pathValue("/a/b/c", "x")));
            // bottom-up creation: /a/b/c, then /a/b, then /a are new, but the event is for the path written
            assertEquals(List.of("/a/b/c|all|"), c.events());
            assertEquals("OK|", c.call(XsMessageType.XS_WRITE, 0, RawClient.pathValue("/a/b", "y")));
            assertEquals(List.of("/a/b|d1|", "/a/b|all|"), c.events());
            assertEquals("OK|", c.call(XsMessageType.XS_WRITE, 0, RawClient.pathValue("/a", "z")));
            assertEquals(List.of("/a|d0|", "/a|d1|", "/a|all|"), c.events());
        }
    }
}
