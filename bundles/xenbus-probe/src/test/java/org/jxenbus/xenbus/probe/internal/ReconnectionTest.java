package org.jxenbus.xenbus.probe.internal;

import static org.jxenbus.xenstore.api.XenbusState.CONNECTED;
import static org.jxenbus.xenstore.api.XenbusState.INITIALISED;
import static org.jxenbus.xenstore.api.XenbusState.INITIALISING;
import static org.jxenbus.xenstore.api.XenbusState.INIT_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.device.XenbusBus;
import org.junit.jupiter.api.Test;

/**
 * When the connection's gate resumes on a new connection (the server forgot everything; the core sets every watch
 * again and their initial events fire), the bus enumerates again and tells the driver what changed meanwhile: a
 * device removed, one added, another's frontend moved on.
 */
class ReconnectionTest {

    @Test
    void afterResumingOnANewConnectionTheBusReenumeratesAndTheDriverLearnsWhatChanged() throws Exception {
        try (Rig rig = new Rig()) {
            int guest = Rig.GUEST;
            XenstoreConnection xs = rig.connect(rig.host.socketUri());
            RecordingListener seen = new RecordingListener();
            DeviceBus bus = rig.bus(XenbusBus.BACKEND, xs, HandshakeTest.BACKEND_OPTIONS, seen);
            HandshakeDriver driver = new HandshakeDriver(XenbusBus.BACKEND);
            bus.claim(driver, Set.of("vif", "vbd"));
            rig.toolstack.add("vif", guest, 0, INITIALISING);
            rig.toolstack.add("vif", guest, 1, INITIALISING);
            rig.toolstack.add("vbd", guest, 51712, INITIALISING);
            for (String n : List.of("backend/vif/5/0", "backend/vif/5/1", "backend/vbd/5/51712")) {
                Await.until(() -> seen.has(n, INIT_WAIT, INITIALISING), seen.events::toString);
            }
            Await.quiet(bus);
            int eventsBefore = seen.events.size();

            xs.suspendControl().suspend(Duration.ofMillis(50));
            rig.toolstack.remove("vif", guest, 1);
            rig.toolstack.add("vif", guest, 2, INITIALISING);
            String disk = Toolstack.frontend(guest, "vbd", 51712);
            rig.dom0.write(disk + "/ring-ref", "8");
            rig.toolstack.state(disk, INITIALISED);
            Thread.sleep(200);
            assertEquals(eventsBefore, seen.events.size(), "nothing seen while suspended");
            xs.suspendControl().resume(true);

            Await.until(() -> !seen.current.containsKey("backend/vif/5/1")
                    && seen.has("backend/vif/5/2", INIT_WAIT, INITIALISING)
                    && seen.has("backend/vbd/5/51712", CONNECTED, INITIALISED), seen.events::toString);
            Await.until(() -> driver.calls.contains("remove backend/vif/5/1")
                    && driver.calls.contains("probe backend/vif/5/2 INITIALISING/INITIALISING")
                    && driver.calls.contains("otherend backend/vbd/5/51712 INITIALISED"), driver.calls::toString);
            assertEquals(List.of(INIT_WAIT, CONNECTED), driver.written("backend/vbd/5/51712"),
                    "the driver went on with the handshake it learnt about after the resume");
            assertEquals("8", driver.ringRefSeen.get("backend/vbd/5/51712"));
            assertTrue(seen.has("backend/vif/5/0", INIT_WAIT, INITIALISING), "the unchanged device stays");
            assertFalse(driver.calls.contains("remove backend/vif/5/0"), driver.calls.toString());
            assertEquals(1, driver.calls.stream().filter(c -> c.startsWith("probe backend/vif/5/0")).count(),
                    "an unchanged device is not offered again");
        }
    }
}
