package org.jxenbus.itests.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jxenbus.transport.ring.fake.FakeHost;
import org.jxenbus.xenstore.sim.Quotas;
import org.jxenbus.xenstore.sim.SimulatorOptions;
import org.jxenbus.xenstore.spi.ring.SharedPage;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.Test;

/**
 * The quotas that govern timing, which the lock-step differential test cannot reach, measured on a guest's
 * ring of the C xenstored and of the simulator serving the same kind of folder: the outstanding-request
 * limit (xenstored stops reading a guest that does not read its replies) and the watch-event timeout (an
 * unprivileged guest's events still unsent after it are dropped). Both must end in the same state.
 */
class RingQuotaTest {

    static final int GUEST = 5;

    @Test
    void aGuestNotReadingItsRepliesIsNoLongerReadAfterTwentyOutstandingRequests() throws IOException {
        String c = outstandingScenario(Server.xenstored());
        String sim = outstandingScenario(Server.simulatorOnFolder(SimulatorOptions.defaults()));
        System.out.println("outstanding-request limit, C xenstored:\n" + c);
        assertEquals(c, sim);
        assertTrue(c.contains("outstanding     :       20"), c);
    }

    /** 30 reads of a 200-byte value sent at once, none read; what the server consumed, then every reply. */
    private static String outstandingScenario(Server server) throws IOException {
        try (server) {
            server.createDomain(GUEST);
            StringBuilder out = new StringBuilder();
            try (Wire dom0 = server.openSocket("S1")) {
                call(dom0, 1, XsMessageType.XS_INTRODUCE, "5", "0", "15");
                call(dom0, 2, XsMessageType.XS_WRITE, "/local/domain/5/v", "x".repeat(200));
                call(dom0, 3, XsMessageType.XS_SET_PERMS, "/local/domain/5/v", "n5");
                try (Wire guest = server.openDomain("G5", GUEST)) {
                    for (int i = 0; i < 30; i++) {
                        guest.send(new XsMessage(XsMessageType.XS_READ.code(), 100 + i, 0, Op.strings("v")));
                    }
                    sleep(1500);
                    out.append(call(dom0, 4, XsMessageType.XS_CONTROL, "quota", "5")).append('\n');
                    int consumed = requestsConsumed(server);
                    out.append("requests consumed: ").append(consumed / 18).append(consumed % 18 == 0 ? "" : " and part of one").append('\n');
                    for (int i = 0; i < 30; i++) {
                        XsMessage m = guest.receive(5000);
                        assertNotNull(m, "reply " + i);
                        out.append(m.reqId()).append(m.payload().length == 200 ? " ok" : " " + Lockstep.render(m))
                                .append(i % 10 == 9 ? "\n" : ", ");
                    }
                    out.append(call(dom0, 5, XsMessageType.XS_CONTROL, "quota", "5")).append('\n');
                }
            }
            return out.toString();
        }
    }

    @Test
    void aGuestsWatchEventsStillUnsentAfterTheTimeoutAreDropped() throws IOException {
        String c = timeoutScenario(Server.xenstored("-w", "watch-event=1"));
        String sim = timeoutScenario(Server.simulatorOnFolder(SimulatorOptions.defaults()
                .withQuotas(Quotas.XEN_4_17.withWatchEventTimeout(Duration.ofSeconds(1)))));
        System.out.println("watch-event timeout, C xenstored:\n" + c);
        assertEquals(c, sim);
    }

    /** A guest watching while dom0 makes 60 changes it does not read; after 2 s it reads what is left. */
    private static String timeoutScenario(Server server) throws IOException {
        try (server) {
            server.createDomain(GUEST);
            StringBuilder out = new StringBuilder();
            try (Wire dom0 = server.openSocket("S1")) {
                call(dom0, 1, XsMessageType.XS_INTRODUCE, "5", "0", "15");
                call(dom0, 2, XsMessageType.XS_MKDIR, "/local/domain/5/w");
                call(dom0, 3, XsMessageType.XS_SET_PERMS, "/local/domain/5/w", "n5");
                try (Wire guest = server.openDomain("G5", GUEST)) {
                    out.append(call(guest, 10, XsMessageType.XS_WATCH, "w", "tok")).append('\n');
                    // the initial event, read: the ring is empty when the changes start
                    out.append(call(guest, 11, XsMessageType.XS_GET_DOMAIN_PATH, "5")).append('\n');
                    for (int i = 0; i < 60; i++) {
                        call(dom0, 100 + i, XsMessageType.XS_WRITE, "/local/domain/5/w/n" + i, "v");
                    }
                    sleep(2500);
                    List<String> events = new ArrayList<>();
                    for (XsMessage m; (m = guest.receive(500)) != null;) {
                        events.add(Op.printable(m.payload()));
                    }
                    out.append(events.size()).append(" events: ").append(events).append('\n');
                }
            }
            return out.toString();
        }
    }

    /** The guest ring's request consumer index, in bytes. */
    private static int requestsConsumed(Server server) throws IOException {
        try (SharedPage page = new FakeHost(server.folder()).mapRing(GUEST)) {
            return page.getIntVolatile(XenstoreRing.REQ_CONS);
        }
    }

    /** Sends a request and returns its reply as text, events received on the way included. */
    private static String call(Wire w, int id, XsMessageType type, String... parts) throws IOException {
        byte[] payload = type == XsMessageType.XS_WRITE ? Op.pathValue(parts[0], parts[1].getBytes())
                : Op.strings(parts);
        w.send(new XsMessage(type.code(), id, 0, payload));
        StringBuilder s = new StringBuilder();
        while (true) {
            XsMessage m = w.receive(5000);
            if (m == null) {
                throw new IOException("no reply to " + type);
            }
            if (m.reqId() == id && m.type() != XsMessageType.XS_WATCH_EVENT.code()) {
                return s.append(Op.printable(m.payload(), 1000)).toString();
            }
            s.append("[event ").append(Op.printable(m.payload())).append("] ");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
