package org.jxenbus.xenbus.probe.internal;

import static org.jxenbus.xenstore.api.XenbusState.CLOSED;
import static org.jxenbus.xenstore.api.XenbusState.CLOSING;
import static org.jxenbus.xenstore.api.XenbusState.CONNECTED;
import static org.jxenbus.xenstore.api.XenbusState.INITIALISED;
import static org.jxenbus.xenstore.api.XenbusState.INITIALISING;
import static org.jxenbus.xenstore.api.XenbusState.INIT_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.device.XenbusBus;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.Test;

/**
 * Without drivers the probe only observes: both buses, over one dom0 connection through the proxy that counts every
 * request, follow devices through plug, the whole handshake (the tests write both ends' states as the drivers
 * would), an unplug and a device already Connected before the probe started, and send not one request that
 * changes the store.
 */
class ObserveOnlyTest {

    /** Requests that change the store (or open the way to changing it). */
    static final Set<XsMessageType> CHANGING = Set.of(XsMessageType.XS_WRITE, XsMessageType.XS_MKDIR,
            XsMessageType.XS_RM, XsMessageType.XS_SET_PERMS, XsMessageType.XS_TRANSACTION_START,
            XsMessageType.XS_TRANSACTION_END, XsMessageType.XS_INTRODUCE, XsMessageType.XS_RELEASE,
            XsMessageType.XS_RESET_WATCHES, XsMessageType.XS_SET_TARGET, XsMessageType.XS_CONTROL);

    @Test
    void withoutDriversNoRequestThatChangesTheStoreIsSentWhileDevicesComeGoAndHandshake() throws Exception {
        try (Rig rig = new Rig()) {
            ReorderingProxy proxy = rig.keep(ReorderingProxy.start(rig.host)); // closed after the buses
            int guest = Rig.GUEST;
            rig.toolstack.add("vif", guest, 1, CONNECTED); // there before the probe
            XenstoreConnection observed = rig.connect(proxy.uri());
            RecordingListener front = new RecordingListener();
            RecordingListener back = new RecordingListener();
            // dom0's own frontends (a disk dom0 uses) and every backend dom0 serves, on the one proxied connection
            DeviceBus frontBus = rig.bus(XenbusBus.FRONTEND, observed, BusOptions.defaults(XenbusBus.FRONTEND), front);
            DeviceBus backBus = rig.bus(XenbusBus.BACKEND, observed, BusOptions.defaults(XenbusBus.BACKEND), back);
            Await.until(() -> back.has("backend/vif/5/1", CONNECTED, CONNECTED), back.events::toString);

            rig.toolstack.add("vbd", 0, 51712, INITIALISING);
            rig.toolstack.add("vif", guest, 0, INITIALISING);
            String dom0Disk = Toolstack.frontend(0, "vbd", 51712);
            String dom0DiskBackend = Toolstack.backend(0, "vbd", 0, 51712);
            String guestNet = Toolstack.frontend(guest, "vif", 0);
            String guestNetBackend = Toolstack.backend(0, "vif", guest, 0);
            XenbusState[][] handshake = {{INITIALISING, INIT_WAIT}, {INITIALISED, INIT_WAIT},
                {INITIALISED, CONNECTED}, {CONNECTED, CONNECTED}, {CONNECTED, CLOSING}, {CLOSED, CLOSING},
                {CLOSED, CLOSED}};
            for (XenbusState[] step : handshake) {
                XenbusState fe = step[0];
                XenbusState be = step[1];
                rig.toolstack.state(dom0Disk, fe);
                rig.toolstack.state(dom0DiskBackend, be);
                rig.toolstack.state(guestNet, fe);
                rig.toolstack.state(guestNetBackend, be);
                Await.until(() -> front.has("device/vbd/51712", fe, be) && back.has("backend/vbd/0/51712", be, fe)
                        && back.has("backend/vif/5/0", be, fe), () -> front.events + " " + back.events);
            }
            rig.toolstack.remove("vif", guest, 0);
            Await.until(() -> !back.current.containsKey("backend/vif/5/0"), back.events::toString);
            Await.quiet(frontBus);
            Await.quiet(backBus);

            Map<String, Integer> byType = new TreeMap<>();
            int changing = 0;
            for (XsMessage m : proxy.requests()) {
                XsMessageType t = XsMessageType.ofCode(m.type());
                byType.merge(t.name(), 1, Integer::sum);
                if (CHANGING.contains(t)) {
                    changing++;
                }
            }
            System.out.println("observe-only probe, requests by type: " + byType);
            assertEquals(0, changing, "requests that change the store: " + byType);
            assertTrue(byType.getOrDefault("XS_READ", 0) > 0 && byType.getOrDefault("XS_WATCH", 0) >= 2,
                    "the proxy saw the probe's reads and watches: " + byType);
            assertEquals(Set.of("device/vbd/51712"), front.current.keySet());
            assertEquals(Set.of("backend/vbd/0/51712", "backend/vif/5/1"), back.current.keySet());
        }
    }
}
