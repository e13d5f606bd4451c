package org.jxenbus.xenbus.probe.internal;

import static org.jxenbus.xenstore.api.XenbusState.INITIALISING;
import static org.jxenbus.xenstore.api.XenbusState.INIT_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.jxenbus.xenstore.api.device.XenbusBus;
import org.junit.jupiter.api.Test;

/**
 * Who may drive what: types the kernel drives in this domain are refused unless configured; one driver per type,
 * the next claim taking over (with the existing devices) when the first is released, which is not told remove().
 */
class DriverClaimsTest {

    @Test
    void claimsOnTypesTheKernelDrivesAreRefusedUnlessConfigured() throws Exception {
        try (Rig rig = new Rig()) {
            DeviceBus front = rig.guestFrontend(BusOptions.defaults(XenbusBus.FRONTEND), new RecordingListener());
            DeviceBus back = rig.dom0Backend(BusOptions.defaults(XenbusBus.BACKEND), new RecordingListener());
            for (String type : List.of("vif", "vbd", "console", "vkbd", "vfb")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> front.claim(new HandshakeDriver(XenbusBus.FRONTEND), Set.of(type)));
                assertTrue(e.getMessage().contains("which the kernel drives in this domain"), e.getMessage());
            }
            for (String type : List.of("vif", "vbd")) {
                assertThrows(IllegalArgumentException.class,
                        () -> back.claim(new HandshakeDriver(XenbusBus.BACKEND), Set.of(type)));
            }
            assertThrows(IllegalArgumentException.class,
                    () -> back.claim(new HandshakeDriver(XenbusBus.BACKEND), Set.of("qdisk", "vbd")),
                    "one kernel-driven type refuses the whole claim");
            back.claim(new HandshakeDriver(XenbusBus.BACKEND), Set.of("qdisk", "9pfs")).close(); // QEMU's in Linux
            front.claim(new HandshakeDriver(XenbusBus.FRONTEND), Set.of("9pfs")).close();

            DeviceBus allowing = rig.guestFrontend(BusOptions.defaults(XenbusBus.FRONTEND).withKernelDrivenTypes(
                    Set.of("vbd")), new RecordingListener());
            allowing.claim(new HandshakeDriver(XenbusBus.FRONTEND), Set.of("vif")).close();
            assertThrows(IllegalArgumentException.class,
                    () -> allowing.claim(new HandshakeDriver(XenbusBus.FRONTEND), Set.of("vbd")));
        }
    }

    @Test
    void aSecondClaimWaitsAndTakesOverTheExistingDevicesWhenTheFirstIsReleased() throws Exception {
        try (Rig rig = new Rig()) {
            RecordingListener seen = new RecordingListener();
            DeviceBus bus = rig.dom0Backend(BusOptions.defaults(XenbusBus.BACKEND), seen);
            HandshakeDriver first = new HandshakeDriver(XenbusBus.BACKEND);
            HandshakeDriver second = new HandshakeDriver(XenbusBus.BACKEND);
            DriverClaim firstClaim = bus.claim(first, Set.of("qdisk"));
            bus.claim(second, Set.of("qdisk"));
            rig.toolstack.add("qdisk", Rig.GUEST, 51712, INITIALISING);
            Await.until(() -> seen.has("backend/qdisk/5/51712", INIT_WAIT, INITIALISING), seen.events::toString);
            Await.quiet(bus);
            assertEquals(List.of("probe backend/qdisk/5/51712 INITIALISING/INITIALISING"), first.calls);
            assertEquals(List.of(), second.calls, "one driver per type");

            firstClaim.close();
            Await.until(() -> !second.calls.isEmpty(), second.calls::toString);
            assertEquals(List.of("probe backend/qdisk/5/51712 INIT_WAIT/INITIALISING"), second.calls,
                    "the next driver is offered the existing device, in its current state");

            rig.toolstack.state(Toolstack.frontend(Rig.GUEST, "qdisk", 51712), org.jxenbus.xenstore.api.XenbusState.INITIALISED);
            rig.toolstack.remove("qdisk", Rig.GUEST, 51712);
            Await.until(() -> second.calls.contains("remove backend/qdisk/5/51712"), second.calls::toString);
            assertEquals(List.of("probe backend/qdisk/5/51712 INITIALISING/INITIALISING"), first.calls,
                    "a released driver is called no more, not even remove()");
        }
    }
}
