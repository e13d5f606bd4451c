package org.jxenbus.itests.realxen.dom0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jxenbus.transport.xendev.XenbusDevice;
import org.jxenbus.xenstore.spi.wire.FrameDecoder;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.jxenbus.xenstore.spi.wire.XsWire;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The kernel's WATCH handling on a descriptor, without our core: what comes back, with which request ids.
 * Two watches on one path from one descriptor, each acknowledged with its own request id, each firing.
 */
@Tag("dom0")
class XenbusWatchesInDom0Test {

    @Test
    void twoWatchesOnOnePathAreEachAcknowledgedAndFire() throws Exception {
        Dom0Xenstored.get();
        try (XenbusDevice dev = XenbusDevice.open(XenbusDevice.DEVICE, 1)) {
            List<XsMessage> seen = new ArrayList<>();
            FrameDecoder decoder = new FrameDecoder();
            write(dev, XsMessageType.XS_WATCH, 101, "/xbwatch/w", "tokA");
            drain(dev, decoder, seen, 2);
            write(dev, XsMessageType.XS_WATCH, 102, "/xbwatch/w", "tokB");
            drain(dev, decoder, seen, 4);
            for (XsMessage m : seen) {
                System.out.printf("xenbus watch descriptor: type %d req_id %d tx_id %d payload %s%n", m.type(), m.reqId(),
                        m.txId(), new String(m.payload(), StandardCharsets.US_ASCII).replace('\0', '|'));
            }
            assertTrue(seen.stream().anyMatch(m -> m.type() == XsMessageType.XS_WATCH.code() && m.reqId() == 101));
            assertTrue(seen.stream().anyMatch(m -> m.type() == XsMessageType.XS_WATCH.code() && m.reqId() == 102));
            assertEquals(2, seen.stream().filter(m -> m.type() == XsMessageType.XS_WATCH_EVENT.code()).count());
        }
    }

    @Test
    void twoRawWatchesOnOnePathThroughTheClient() throws Exception {
        Dom0Xenstored.get();
        try (org.jxenbus.xenstore.api.XenstoreConnection xs = org.jxenbus.xenstore.client.Xenstore.open(
                java.net.URI.create("xenbus:/dev/xen/xenbus"))) {
            List<String> a = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<String> b = new java.util.concurrent.CopyOnWriteArrayList<>();
            long t0 = System.nanoTime();
            try (org.jxenbus.xenstore.api.RawWatch wa = xs.watch("/xbwatch2/w", e -> a.add(e.path()))) {
                long t1 = System.nanoTime();
                try (org.jxenbus.xenstore.api.RawWatch wb = xs.watch("/xbwatch2/w", e -> b.add(e.path()))) {
                    long t2 = System.nanoTime();
                    System.out.printf("two raw watches over xenbus: %.1f ms, %.1f ms; %s%n", (t1 - t0) / 1e6,
                            (t2 - t1) / 1e6, xs.statistics());
                }
            }
        }
    }

    private static void write(XenbusDevice dev, XsMessageType type, int reqId, String path, String token) throws Exception {
        byte[] payload = Payloads.strings(path, token);
        dev.writeMessage(XenbusDevice.WATCHES, XsWire.encode(new XsMessage(type.code(), reqId, 0, payload)));
    }

    private static void drain(XenbusDevice dev, FrameDecoder decoder, List<XsMessage> seen, int want) throws Exception {
        byte[] buf = new byte[8192];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (seen.size() < want && System.nanoTime() < deadline) {
            dev.await(TimeUnit.MILLISECONDS.toNanos(200));
            for (int n; (n = dev.read(XenbusDevice.WATCHES, buf)) > 0;) {
                decoder.feed(ByteBuffer.wrap(buf, 0, n), seen::add);
            }
        }
        assertTrue(seen.size() >= want, "seen only " + seen.size() + " of " + want + ": " + seen);
    }
}
