package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.RawXsClient;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.TooBigException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsErrors;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Directories larger than one reply: DIRECTORY_PART, restarts on change, and the ENOSYS fallback. */
@Tag("socket-only") // through the reordering proxy, which speaks to a socket
@ExtendWith(XenstoredExtension.class)
class DirectoryPartTest {

    static final String DIR = "/big";
    static final List<String> NAMES = new ArrayList<>();

    @BeforeAll
    static void fill(FakeXenHost host) {
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            for (int i = 0; i < 400; i++) {
                String name = String.format("child-%04d-with-a-longish-name", i);
                NAMES.add(name);
                xs.async().write(DIR + "/" + name, "");
            }
            xs.write(DIR + "/sync", "");
            NAMES.add("sync");
        }
        int bytes = NAMES.stream().mapToInt(n -> n.length() + 1).sum();
        assertTrue(bytes > 3 * 4096, "the listing must need several parts: " + bytes);
    }

    @Test
    void largeDirectoryIsListedInPartsInOrder(FakeXenHost host) throws Exception {
        try (ReorderingProxy proxy = ReorderingProxy.start(host); XenstoreConnection xs = Xenstore.open(proxy.uri())) {
            assertEquals(NAMES, xs.directory(DIR));
            List<XsMessage> seen = proxy.requests();
            assertEquals(XsMessageType.XS_DIRECTORY.code(), seen.get(0).type());
            assertTrue(seen.stream().filter(m -> m.type() == XsMessageType.XS_DIRECTORY_PART.code()).count() >= 4,
                    "parts requested: " + seen);
            assertEquals(List.of("E2BIG"), errorNames(proxy));
        }
    }

    @Test
    void aChangeBetweenPartsRestartsTheListingFromOffsetZero(FakeXenHost host) throws Exception {
        String dir = "/bigchange";
        List<String> expected = new ArrayList<>();
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            for (int i = 0; i < 300; i++) {
                String name = String.format("node-%04d-with-a-longish-name", i);
                expected.add(name);
                xs.async().write(dir + "/" + name, "");
            }
            xs.write(dir + "/last", "");
            expected.add("last");
        }
        AtomicBoolean changed = new AtomicBoolean();
        try (ReorderingProxy proxy = ReorderingProxy.start(host); RawXsClient other = new RawXsClient(host.socket());
                XenstoreConnection xs = Xenstore.open(proxy.uri())) {
            proxy.onRequest(m -> {
                if (m.type() == XsMessageType.XS_DIRECTORY_PART.code() && offsetOf(m) > 0 && changed.compareAndSet(false,
                        true)) {
                    other.write(dir + "/added-between-parts", "");
                }
                return null;
            });
            expected.add("added-between-parts");
            assertEquals(expected, xs.directory(dir));
            assertTrue(changed.get());
            long fromZero = proxy.requests().stream()
                    .filter(m -> m.type() == XsMessageType.XS_DIRECTORY_PART.code() && offsetOf(m) == 0).count();
            assertEquals(2, fromZero, "one listing from offset 0, then one restart from offset 0");
        }
    }

    @Test
    void serverWithoutDirectoryPartGivesTooBig(FakeXenHost host) throws Exception {
        try (ReorderingProxy proxy = ReorderingProxy.start(host); XenstoreConnection xs = Xenstore.open(proxy.uri())) {
            proxy.onRequest(m -> m.type() == XsMessageType.XS_DIRECTORY_PART.code()
                    ? List.of(new XsMessage(XsMessageType.XS_ERROR.code(), m.reqId(), m.txId(), XsErrors.payload("ENOSYS")))
                    : null);
            TooBigException e = assertThrows(TooBigException.class, () -> xs.directory(DIR));
            assertEquals("E2BIG", e.errorName());
            assertTrue(e.getMessage().contains("DIRECTORY_PART"), e.getMessage());
            assertEquals(List.of(), xs.directory(DIR + "/sync"), "the connection still works");
        }
    }

    private static int offsetOf(XsMessage m) {
        try {
            return Integer.parseInt(Payloads.stringList(m.payload()).get(1));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> errorNames(ReorderingProxy proxy) {
        List<String> out = new ArrayList<>();
        for (XsMessage m : proxy.replies()) {
            if (m.type() == XsMessageType.XS_ERROR.code()) {
                out.add(new String(m.payload(), StandardCharsets.US_ASCII).replace("\0", ""));
            }
        }
        return out;
    }
}
