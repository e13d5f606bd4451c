package org.jxenbus.xenstore.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.sim.internal.frontend.SimTransportProvider;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.Test;

/**
 * xenstored stops reading a guest that has 20 replies (and the events they caused) unread; its requests wait
 * and are answered in order once it reads. In the JVM a reply is read when the client takes it.
 */
class OutstandingQuotaTest {

    @Test
    void aGuestWithTwentyUnreadRepliesIsNotReadUntilItReads() throws Exception {
        try (XenstoreSimulator sim = XenstoreSimulator.start(); RawClient dom0 = new RawClient(sim.uri())) {
            Transport guest = provider().open(sim.uri(5));
            try {
                for (int i = 0; i < 30; i++) {
                    XsMessage[] one = {new XsMessage(XsMessageType.XS_GET_DOMAIN_PATH.code(), 1000 + i, 0,
                            RawClient.bytes("5"))};
                    guest.write(() -> {
                        XsMessage m = one[0];
                        one[0] = null;
                        return m;
                    });
                }
                Thread.sleep(300);
                String quota = dom0.call(XsMessageType.XS_CONTROL, "quota", "5");
                assertTrue(quota.contains("outstanding     :       20\n"), quota);
                List<XsMessage> replies = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (replies.size() < 30 && System.nanoTime() < deadline) {
                    guest.read(replies::add);
                    guest.await(false, TimeUnit.MILLISECONDS.toNanos(20));
                }
                assertEquals(30, replies.size());
                for (int i = 0; i < 30; i++) {
                    assertEquals(1000 + i, replies.get(i).reqId());
                    assertEquals("/local/domain/5|", RawClient.render(replies.get(i)));
                }
                Thread.sleep(100);
                assertTrue(dom0.call(XsMessageType.XS_CONTROL, "quota", "5").contains("outstanding     :        0\n"));
            } finally {
                guest.close();
            }
        }
    }

    private static SimTransportProvider provider() {
        for (var p : ServiceLoader.load(org.jxenbus.xenstore.spi.transport.TransportProvider.class)) {
            if (p instanceof SimTransportProvider s) {
                return s;
            }
        }
        return new SimTransportProvider();
    }

}
