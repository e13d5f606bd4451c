package org.jxenbus.xenbus.probe.internal;

import static org.jxenbus.xenstore.api.XenbusState.CLOSED;
import static org.jxenbus.xenstore.api.XenbusState.CLOSING;
import static org.jxenbus.xenstore.api.XenbusState.CONNECTED;
import static org.jxenbus.xenstore.api.XenbusState.INITIALISED;
import static org.jxenbus.xenstore.api.XenbusState.INITIALISING;
import static org.jxenbus.xenstore.api.XenbusState.INIT_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.api.device.BoundDevice;
import org.jxenbus.xenstore.api.device.XenbusBus;
import org.jxenbus.xenstore.api.device.XenbusProperties;
import org.junit.jupiter.api.Test;

/**
 * The handshake of blkif.h between a test frontend driver in guest 5 (its frontend bus over its own unprivileged
 * ring) and a test backend driver in dom0 (its backend bus over the socket), on devices the tests write as the
 * toolstack does: plugged, connected, closed, unplugged; a second device hot-plugged and unplugged; drivers that
 * arrive after the devices; devices already Connected before the probe starts; a device removed while its probe
 * runs.
 */
class HandshakeTest {

    static final int GUEST = Rig.GUEST;
    static final BusOptions FRONTEND_OPTIONS = BusOptions.defaults(XenbusBus.FRONTEND).withKernelDrivenTypes(Set.of());
    static final BusOptions BACKEND_OPTIONS = BusOptions.defaults(XenbusBus.BACKEND).withKernelDrivenTypes(Set.of());

    /** Both ends of the guest's devices, each bus with its listener and driver. */
    static final class Ends {
        final RecordingListener frontSeen = new RecordingListener();
        final RecordingListener backSeen = new RecordingListener();
        final HandshakeDriver front = new HandshakeDriver(XenbusBus.FRONTEND);
        final HandshakeDriver back;
        final DeviceBus frontBus;
        final DeviceBus backBus;

        Ends(Rig rig) {
            this(rig, new HandshakeDriver(XenbusBus.BACKEND));
        }

        Ends(Rig rig, HandshakeDriver back) {
            this.back = back;
            frontBus = rig.guestFrontend(FRONTEND_OPTIONS, frontSeen);
            backBus = rig.dom0Backend(BACKEND_OPTIONS, backSeen);
        }

        void claim(String... types) {
            frontBus.claim(front, Set.of(types));
            backBus.claim(back, Set.of(types));
        }

        void await(String type, int devid, XenbusState frontState, XenbusState backState) {
            Await.until(() -> frontSeen.has(fe(type, devid), frontState, backState)
                    && backSeen.has(be(type, devid), backState, frontState), this::toString);
        }

        void awaitGone(String type, int devid) {
            Await.until(() -> !frontSeen.current.containsKey(fe(type, devid))
                    && !backSeen.current.containsKey(be(type, devid)), this::toString);
        }

        @Override
        public String toString() {
            return "frontend " + frontSeen.events + " " + front.calls + "; backend " + backSeen.events + " "
                    + back.calls;
        }
    }

    static String fe(String type, int devid) {
        return "device/" + type + "/" + devid;
    }

    static String be(String type, int devid) {
        return "backend/" + type + "/" + GUEST + "/" + devid;
    }

    @Test
    void aTestFrontendAndBackendDriverTakeAVifAndAVbdThroughTheWholeHandshake() throws Exception {
        try (Rig rig = new Rig()) {
            Ends ends = new Ends(rig);
            ends.claim("vif", "vbd");
            rig.toolstack.add("vif", GUEST, 0, INITIALISING);
            rig.toolstack.add("vbd", GUEST, 51712, INITIALISING);
            for (String[] d : new String[][] {{"vif", "0"}, {"vbd", "51712"}}) {
                String type = d[0];
                int devid = Integer.parseInt(d[1]);
                ends.await(type, devid, CONNECTED, CONNECTED);
                assertEquals(List.of(INITIALISED, CONNECTED), ends.front.written(fe(type, devid)), ends.toString());
                assertEquals(List.of(INIT_WAIT, CONNECTED), ends.back.written(be(type, devid)), ends.toString());
                assertEquals("8", ends.back.ringRefSeen.get(be(type, devid)), "the backend read the frontend's ring");
            }
            assertEquals(expectedFrontend("vif", 0, CONNECTED, CONNECTED), ends.frontSeen.current.get(fe("vif", 0)));
            assertEquals(expectedBackend("vif", 0, CONNECTED, CONNECTED), ends.backSeen.current.get(be("vif", 0)));

            for (String[] d : new String[][] {{"vif", "0"}, {"vbd", "51712"}}) {
                String type = d[0];
                int devid = Integer.parseInt(d[1]);
                assertTrue(ends.front.switchTo(ends.front.bound.get(fe(type, devid)), CLOSING), "the guest unplugs");
                ends.await(type, devid, CLOSED, CLOSED);
                assertEquals(List.of(INITIALISED, CONNECTED, CLOSING, CLOSED), ends.front.written(fe(type, devid)));
                assertEquals(List.of(INIT_WAIT, CONNECTED, CLOSING, CLOSED), ends.back.written(be(type, devid)));
                assertEquals("6", rig.dom0.read(Toolstack.frontend(GUEST, type, devid) + "/state"));
                assertEquals("6", rig.dom0.read(Toolstack.backend(0, type, GUEST, devid) + "/state"));
            }
            assertEquals(List.of(INIT_WAIT, CONNECTED, CLOSING, CLOSED), otherendStatesKnown(ends.front, "device/vif/0"),
                    "each other-end state once, in order: at the probe or by one callback after it");
            assertDriversRanOnTheProbesPool(ends);
            assertFalse(rig.dom0.exists(Toolstack.home(GUEST) + "/error"), "no error reported");
        }
    }

    @Test
    void aSecondDeviceHotPluggedIsProbedAndItsHotUnplugRemovesItFromBothEnds() throws Exception {
        try (Rig rig = new Rig()) {
            Ends ends = new Ends(rig);
            ends.claim("vif");
            rig.toolstack.add("vif", GUEST, 0, INITIALISING);
            ends.await("vif", 0, CONNECTED, CONNECTED);

            rig.toolstack.add("vif", GUEST, 1, INITIALISING);
            ends.await("vif", 1, CONNECTED, CONNECTED);
            // libxl's removal: online 0 and the backend's state Closing, then wait for Closed, then rm both ends
            String backend = Toolstack.backend(0, "vif", GUEST, 1);
            rig.dom0.write(backend + "/online", "0");
            rig.toolstack.state(backend, CLOSING);
            ends.await("vif", 1, CLOSED, CLOSED);
            rig.toolstack.remove("vif", GUEST, 1);
            ends.awaitGone("vif", 1);
            Await.until(() -> ends.front.calls.contains("remove device/vif/1")
                    && ends.back.calls.contains("remove backend/vif/5/1"), ends::toString);

            assertFalse(rig.dom0.exists(Toolstack.frontend(GUEST, "vif", 1)), "nothing recreated the frontend");
            assertFalse(rig.dom0.exists(backend), "nothing recreated the backend");
            assertEquals(List.of(INITIALISED, CONNECTED, CLOSED), ends.front.written(fe("vif", 1)));
            assertEquals(List.of(INIT_WAIT, CONNECTED, CLOSED), ends.back.written(be("vif", 1)));
            assertTrue(ends.frontSeen.has(fe("vif", 0), CONNECTED, CONNECTED), "the first device is untouched");
            assertTrue(ends.backSeen.has(be("vif", 0), CONNECTED, CONNECTED), "the first device is untouched");
            assertEquals(List.of(INIT_WAIT, CONNECTED), otherendStatesKnown(ends.front, "device/vif/0"));
        }
    }

    @Test
    void driversInstalledAfterTheDevicesExistAreOfferedThemAndDriveTheHandshake() throws Exception {
        try (Rig rig = new Rig()) {
            rig.toolstack.add("vif", GUEST, 0, INITIALISING);
            rig.toolstack.add("vbd", GUEST, 51712, INITIALISING);
            Ends ends = new Ends(rig);
            ends.await("vif", 0, INITIALISING, INITIALISING);
            ends.await("vbd", 51712, INITIALISING, INITIALISING);
            ends.claim("vif", "vbd");
            ends.await("vif", 0, CONNECTED, CONNECTED);
            ends.await("vbd", 51712, CONNECTED, CONNECTED);
            assertTrue(ends.back.calls.contains("probe backend/vif/5/0 INITIALISING/INITIALISING"), ends.toString());
            assertTrue(ends.back.calls.contains("probe backend/vbd/5/51712 INITIALISING/INITIALISING"),
                    ends.toString());
        }
    }

    @Test
    void devicesAlreadyConnectedWhenTheProbeStartsAreRegisteredAndOfferedInTheirState() throws Exception {
        try (Rig rig = new Rig()) {
            rig.toolstack.add("vif", GUEST, 0, CONNECTED);
            rig.toolstack.add("vbd", GUEST, 51712, CONNECTED);
            Ends ends = new Ends(rig);
            ends.await("vif", 0, CONNECTED, CONNECTED);
            ends.await("vbd", 51712, CONNECTED, CONNECTED);
            assertEquals(expectedFrontend("vbd", 51712, CONNECTED, CONNECTED),
                    ends.frontSeen.current.get(fe("vbd", 51712)));
            assertEquals(expectedBackend("vbd", 51712, CONNECTED, CONNECTED),
                    ends.backSeen.current.get(be("vbd", 51712)));

            ends.claim("vif", "vbd");
            Await.until(() -> ends.front.calls.contains("probe device/vif/0 CONNECTED/CONNECTED")
                    && ends.back.calls.contains("probe backend/vif/5/0 CONNECTED/CONNECTED"), ends::toString);
            Await.quiet(ends.frontBus);
            Await.quiet(ends.backBus);
            assertEquals(List.of(), ends.front.written(fe("vif", 0)), "an adopted Connected device is left as it is");
            assertEquals(List.of(), ends.back.written(be("vif", 0)), "an adopted Connected device is left as it is");

            // the adopted device closes like any other when the toolstack unplugs it
            rig.toolstack.state(Toolstack.backend(0, "vif", GUEST, 0), CLOSING);
            ends.await("vif", 0, CLOSED, CLOSED);
            assertEquals(List.of(CLOSED), ends.front.written(fe("vif", 0)));
            assertEquals(List.of(CLOSED), ends.back.written(be("vif", 0)));
        }
    }

    @Test
    void aDeviceRemovedWhileItsProbeRunsIsNeverRecreatedAndIsRemovedAfterTheProbe() throws Exception {
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HandshakeDriver slowBackend = new HandshakeDriver(XenbusBus.BACKEND) {
            @Override
            public void probe(BoundDevice device) {
                probing.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.probe(device); // publishes and switches: both must find the device gone
            }
        };
        try (Rig rig = new Rig()) {
            Ends ends = new Ends(rig, slowBackend);
            ends.backBus.claim(slowBackend, Set.of("vif"));
            rig.toolstack.add("vif", GUEST, 0, INITIALISING);
            assertTrue(probing.await(30, TimeUnit.SECONDS), "the probe started");
            rig.toolstack.remove("vif", GUEST, 0);
            ends.awaitGone("vif", 0);
            release.countDown();
            Await.until(() -> slowBackend.calls.contains("remove backend/vif/5/0"), ends::toString);

            assertEquals(List.of("probe backend/vif/5/0 INITIALISING/INITIALISING", "remove backend/vif/5/0"),
                    slowBackend.calls, "remove comes after the probe that was running");
            assertEquals(List.of(), slowBackend.written(be("vif", 0)), "switchState found the device gone");
            assertFalse(rig.dom0.exists(Toolstack.backend(0, "vif", GUEST, 0)), "the device was not resurrected");
            assertFalse(rig.dom0.exists(Toolstack.frontend(GUEST, "vif", 0)));
        }
    }

    /**
     * The other end's states as the driver learnt them: at its probe, then from each callback; the toolstack's
     * Initialising dropped (the probe may come before or after the other end left it).
     */
    private static List<XenbusState> otherendStatesKnown(HandshakeDriver driver, String nodename) {
        List<XenbusState> known = new java.util.ArrayList<>();
        for (String call : driver.calls) {
            if (call.startsWith("probe " + nodename + " ")) {
                known.add(XenbusState.valueOf(call.substring(call.lastIndexOf('/') + 1)));
            } else if (call.startsWith("otherend " + nodename + " ")) {
                known.add(XenbusState.valueOf(call.substring(call.lastIndexOf(' ') + 1)));
            }
        }
        known.remove(INITIALISING);
        return known;
    }

    private static void assertDriversRanOnTheProbesPool(Ends ends) {
        for (String t : ends.front.threads) {
            assertTrue(t.startsWith("xenbus-frontend-driver-"), "frontend driver called on " + t);
        }
        for (String t : ends.back.threads) {
            assertTrue(t.startsWith("xenbus-backend-driver-"), "backend driver called on " + t);
        }
    }

    static Map<String, Object> expectedFrontend(String type, int devid, XenbusState state, XenbusState otherend) {
        return expected("frontend", type, devid, fe(type, devid), Toolstack.backend(0, type, GUEST, devid), 0, state,
                otherend);
    }

    static Map<String, Object> expectedBackend(String type, int devid, XenbusState state, XenbusState otherend) {
        return expected("backend", type, devid, be(type, devid), Toolstack.frontend(GUEST, type, devid), GUEST, state,
                otherend);
    }

    private static Map<String, Object> expected(String bus, String type, int devid, String nodename, String otherend,
            int otherendId, XenbusState state, XenbusState otherendState) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(XenbusProperties.BUS, bus);
        p.put(XenbusProperties.TYPE, type);
        p.put(XenbusProperties.ID, Integer.toString(devid));
        p.put(XenbusProperties.NODENAME, nodename);
        p.put(XenbusProperties.OTHEREND, otherend);
        p.put(XenbusProperties.OTHEREND_ID, otherendId);
        p.put(XenbusProperties.STATE, state.code());
        p.put(XenbusProperties.OTHEREND_STATE, otherendState.code());
        p.put(XenbusProperties.DEVICE_CATEGORY, List.of("xen." + type));
        p.put(XenbusProperties.DEVICE_SERIAL, nodename);
        p.put(XenbusProperties.DEVICE_DESCRIPTION, "Xen " + type + " " + devid + " (" + bus + " " + nodename
                + ", other end " + otherend + " in domain " + otherendId + ")");
        return p;
    }
}
