package org.jxenbus.itests.realxen.dom0;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.jxenbus.testsupport.MixedLoad;
import org.jxenbus.xenstore.api.ConflictException;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.TooBigException;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.WatchEvent;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.watch.OwnedWatchService;
import org.jxenbus.xenstore.api.watch.Watch;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client against the real xenstored in a real dom0, over its socket and over {@code /dev/xen/xenbus},
 * the kernel's path (the seed's own code): every verb, transactions, watches and the watch service, and 16
 * threads of checked mixed requests. Against the simulator in xenstored's place, also over a ring we offer
 * it with {@code ring:gntalloc?server=0} (real grants and event channels).
 */
@Tag("dom0")
class ClientInDom0Test {

    static Stream<URI> stores() throws Exception {
        Dom0Xenstored d = Dom0Xenstored.get();
        if (Dom0Xenstored.servesOfferedRings()) {
            return Stream.of(d.socketUri(), Dom0Xenstored.xenbusUri(), Dom0Xenstored.OFFERED_RING);
        }
        return Stream.of(d.socketUri(), Dom0Xenstored.xenbusUri());
    }

    @ParameterizedTest
    @MethodSource("stores")
    void everyVerbGivesTheExactReply(URI uri) {
        String root = "/dom0test/" + uri.getScheme();
        try (XenstoreConnection xs = Dom0Xenstored.open(uri)) {
            xs.write(root + "/a", "value");
            assertEquals("value", xs.read(root + "/a"));
            byte[] bytes = {0, 1, (byte) 0xff};
            xs.write(root + "/bytes", bytes);
            assertArrayEquals(bytes, xs.readBytes(root + "/bytes"));
            xs.mkdir(root + "/dir/sub");
            assertEquals(List.of("a", "bytes", "dir"), xs.directory(root));
            assertTrue(xs.exists(root + "/dir/sub"));
            assertFalse(xs.exists(root + "/none"));
            assertThrows(NoSuchNodeException.class, () -> xs.read(root + "/none"));
            xs.setPermissions(root + "/a", Permissions.parse("n0 r5"));
            assertEquals("n0 r5", xs.getPermissions(root + "/a").toString());
            assertEquals("/local/domain/3", xs.getDomainPath(3));
            xs.rm(root + "/dir");
            assertFalse(xs.exists(root + "/dir/sub"));
            int limit = uri.getScheme().equals("xenbus") ? 4080 : 4096;
            String big = root + "/big";
            byte[] largest = new byte[limit - big.length() - 1];
            xs.write(big, largest);
            assertEquals(largest.length, xs.readBytes(big).length);
            assertThrows(TooBigException.class, () -> xs.write(big, new byte[largest.length + 1]));
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void transactionsCommitAbortAndConflict(URI uri) {
        String root = "/dom0tx/" + uri.getScheme();
        try (XenstoreConnection xs = Dom0Xenstored.open(uri)) {
            xs.write(root + "/n", "0");
            Transaction t1 = xs.beginTransaction();
            Transaction t2 = xs.beginTransaction();
            t1.write(root + "/n", Integer.toString(Integer.parseInt(t1.read(root + "/n")) + 1));
            t2.write(root + "/n", Integer.toString(Integer.parseInt(t2.read(root + "/n")) + 1));
            t1.commit();
            assertThrows(ConflictException.class, t2::commit);
            assertEquals("1", xs.read(root + "/n"));
            for (int i = 0; i < 20; i++) {
                xs.transaction(tx -> {
                    tx.write(root + "/n", Integer.toString(Integer.parseInt(tx.read(root + "/n")) + 1));
                    return null;
                });
            }
            assertEquals("21", xs.read(root + "/n"));
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void rawWatchesAndTheWatchServiceFire(URI uri) throws Exception {
        String root = "/dom0watch/" + uri.getScheme();
        try (XenstoreConnection xs = Dom0Xenstored.open(uri); OwnedWatchService watches = Xenstore.watches(xs)) {
            List<String> raw = new CopyOnWriteArrayList<>();
            List<String> service = new CopyOnWriteArrayList<>();
            try (RawWatch w = xs.watch(root + "/w", (WatchEvent e) -> raw.add(e.path()));
                    Watch s = watches.watch(root + "/w", service::add)) {
                await(() -> raw.contains(root + "/w") && service.contains(root + "/w"));
                xs.write(root + "/w/x", "1");
                await(() -> raw.contains(root + "/w/x") && service.contains(root + "/w/x"));
            }
            xs.write(root + "/w/after", "1");
            xs.read(root + "/w/after");
            Thread.sleep(300);
            assertFalse(raw.contains(root + "/w/after"), raw.toString());
            assertFalse(service.contains(root + "/w/after"), service.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void sixteenThreadsOfCheckedMixedRequests(URI uri) throws Exception {
        try (XenstoreConnection xs = Dom0Xenstored.open(uri)) {
            long n = MixedLoad.run(xs, "/dom0mux/" + uri.getScheme(), 16, 300);
            assertTrue(n >= 16 * 300);
            assertEquals(0, xs.statistics().unknownReplies());
            System.out.printf("%s: 16 threads x 300 mixed requests checked, %s%n", uri, xs.statistics());
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), "not reached in 30 s");
    }
}
