package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.WatchEvent;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** INTRODUCE, IS_DOMAIN_INTRODUCED, RELEASE, SET_TARGET, RESUME and CONTROL against xenstored. */
@ExtendWith(XenstoredExtension.class)
class PrivilegedOperationsTest {

    @Test
    void introduceAndReleaseAGuestFireTheSpecialWatches(FakeXenHost host) throws Exception {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            List<WatchEvent> introduced = new CopyOnWriteArrayList<>();
            List<WatchEvent> released = new CopyOnWriteArrayList<>();
            try (RawWatch w1 = xs.watch("@introduceDomain", introduced::add);
                    RawWatch w2 = xs.watch("@releaseDomain", released::add)) {
                assertFalse(xs.privileged().isDomainIntroduced(11));
                Files.write(host.dir().resolve("dom11.ring"), new byte[4096]);
                new ProcessBuilder("mkfifo", host.dir().resolve("dom11.evtchn").toString()).start()
                        .waitFor(5, TimeUnit.SECONDS);
                xs.privileged().introduce(11, 0, 3);
                assertTrue(xs.privileged().isDomainIntroduced(11));
                xs.privileged().release(11);
                assertFalse(xs.privileged().isDomainIntroduced(11));
                awaitSize(introduced, 2);
                awaitSize(released, 2);
                assertEquals(List.of("@introduceDomain", "@introduceDomain"), paths(introduced));
                assertEquals(List.of("@releaseDomain", "@releaseDomain"), paths(released));
            }
        }
    }

    @Test
    void dom0IsIntroduced(FakeXenHost host) {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            assertTrue(xs.privileged().isDomainIntroduced(0));
        }
    }

    @Test
    void introduceWithoutARingIsAnErrorWithTheServersName(FakeXenHost host) {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            XenstoreException e = assertThrows(XenstoreException.class, () -> xs.privileged().introduce(12, 0, 3));
            assertEquals("ENOENT", e.errorName());
        }
    }

    @Test
    void controlAnswersText(FakeXenHost host) {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            String help = xs.privileged().control("help");
            assertTrue(help.contains("quota"), help);
        }
    }

    @Test
    void domainIdsOutOfRangeAreRejectedBeforeTheWire(FakeXenHost host) {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            assertThrows(IllegalArgumentException.class, () -> xs.privileged().release(70000));
            assertEquals(0, xs.statistics().requestsSent());
        }
    }

    private static List<String> paths(List<WatchEvent> events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.path()));
        return out;
    }

    static void awaitSize(List<?> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(size, list.size(), list.toString());
    }
}
