package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.AccessDeniedException;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An unprivileged guest's own ring (domain 5, introduced as FAKE-HYPERVISOR.md describes): real permission
 * checks and real quotas from xenstored.
 */
@Tag("transport-specific") // a guest's ring, whatever the suite's transport
@ExtendWith(XenstoredExtension.class)
class GuestRingTest {

    static final int GUEST = 5;

    @BeforeAll
    static void introduce(FakeXenHost host) throws Exception {
        host.introduceGuest(GUEST, 7);
        try (XenstoreConnection dom0 = Xenstore.open(host.socketUri())) {
            dom0.mkdir("/local/domain/5");
            dom0.setPermissions("/local/domain/5", Permissions.parse("n5"));
        }
    }

    @Test
    void theGuestWorksInItsOwnSubtreeWithRelativePaths(FakeXenHost host) {
        try (XenstoreConnection guest = Xenstore.open(host.guestRingUri(GUEST))) {
            guest.write("data/greeting", "hello");
            assertEquals("hello", guest.read("data/greeting"));
            assertEquals("hello", guest.read("/local/domain/5/data/greeting"));
            assertEquals(List.of("greeting"), guest.directory("data"));
            assertEquals("n5", guest.getPermissions("data/greeting").toString(), "the guest owns what it creates");
            assertEquals("/local/domain/5", guest.getDomainPath(GUEST));
        }
    }

    @Test
    void everythingElseIsAccessDeniedAsATypedError(FakeXenHost host) {
        try (XenstoreConnection dom0 = Xenstore.open(host.socketUri());
                XenstoreConnection guest = Xenstore.open(host.guestRingUri(GUEST))) {
            dom0.write("/tool/secret", "x");
            AccessDeniedException read = assertThrows(AccessDeniedException.class, () -> guest.read("/tool/secret"));
            assertEquals("EACCES", read.errorName());
            assertThrows(AccessDeniedException.class, () -> guest.write("/tool/mine", "x"));
            assertThrows(AccessDeniedException.class, () -> guest.read("/local/domain/0"));
            assertThrows(AccessDeniedException.class, () -> guest.privileged().isDomainIntroduced(0));
            assertThrows(AccessDeniedException.class, () -> guest.read("/tool/nonexistent"),
                    "a missing node under an unreadable parent is EACCES, not ENOENT");
            dom0.setPermissions("/tool/secret", Permissions.parse("n0 r5"));
            assertEquals("x", guest.read("/tool/secret"), "readable once dom0 grants it");
        }
    }

    @Test
    void sixtyFourThreadsAgainstTheOutstandingRequestLimitAllComplete(FakeXenHost host) throws Exception {
        for (int window : new int[] {0, 64}) {
            try (XenstoreConnection guest = Xenstore.open(host.guestRingUri(GUEST),
                    ConnectionOptions.defaults().withMaxInFlight(window))) {
                ExecutorService pool = Executors.newFixedThreadPool(64);
                try {
                    List<Future<?>> done = new ArrayList<>();
                    for (int t = 0; t < 64; t++) {
                        int thread = t;
                        done.add(pool.submit(() -> {
                            String path = "load/t" + thread;
                            for (int i = 0; i < 100; i++) {
                                guest.write(path, "v" + i);
                                assertEquals("v" + i, guest.read(path));
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get(2, TimeUnit.MINUTES);
                    }
                } finally {
                    pool.shutdownNow();
                }
                assertTrue(guest.statistics().requestsSent() >= 64 * 200);
                assertEquals(0, guest.statistics().unknownReplies());
                assertEquals(0L, guest.statistics().transportCounters().get("timeoutsWithWork"));
            }
        }
    }

    @Test
    void largeValuesCrossTheOneKilobyteRingByteForByteFromSixteenThreads(FakeXenHost host) throws Exception {
        try (XenstoreConnection dom0 = Xenstore.open(host.dom0RingUri())) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        java.util.Random random = new java.util.Random(thread);
                        for (int i = 0; i < 50; i++) {
                            byte[] value = new byte[4000];
                            random.nextBytes(value);
                            String path = "/big/t" + thread + "/v" + (i % 4);
                            dom0.write(path, value);
                            assertArrayEquals(value, dom0.readBytes(path));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
