package org.jxenbus.xenbus.probe.internal;

import static org.jxenbus.xenstore.api.XenbusState.CLOSING;
import static org.jxenbus.xenstore.api.XenbusState.CONNECTED;
import static org.jxenbus.xenstore.api.XenbusState.INITIALISED;
import static org.jxenbus.xenstore.api.XenbusState.INITIALISING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.api.device.BoundDevice;
import org.jxenbus.xenstore.api.device.XenbusBus;
import org.jxenbus.xenstore.api.device.XenbusDriver;
import org.junit.jupiter.api.Test;

/**
 * The helpers of xenbus_client.c, used by a frontend driver in guest 5 over its unprivileged ring: relative paths
 * under the guest's home, the guest's own permissions.
 */
class DeviceHelpersTest {

    /** Keeps the device it is offered; records callbacks. */
    static final class KeepingDriver implements XenbusDriver {
        final CompletableFuture<BoundDevice> device = new CompletableFuture<>();
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void probe(BoundDevice d) {
            calls.add("probe " + d.nodename());
            device.complete(d);
        }

        @Override
        public void otherendChanged(BoundDevice d, XenbusState state) {
            calls.add("otherend " + state);
        }

        @Override
        public void remove(BoundDevice d) {
            calls.add("remove " + d.nodename());
        }
    }

    private static String where() {
        String t = Thread.currentThread().getName();
        return t.startsWith("xenbus-frontend-driver-") ? " on the pool" : " on " + t;
    }

    @Test
    void helpersReadBothEndsPublishSwitchStateReportErrorsAndWatchRelativeToTheDevice() throws Exception {
        try (Rig rig = new Rig()) {
            RecordingListener seen = new RecordingListener();
            DeviceBus bus = rig.guestFrontend(HandshakeTest.FRONTEND_OPTIONS, seen);
            KeepingDriver driver = new KeepingDriver();
            bus.claim(driver, Set.of("vif"));
            rig.toolstack.add("vif", Rig.GUEST, 0, INITIALISING);
            BoundDevice d = driver.device.get(30, TimeUnit.SECONDS);
            String frontend = Toolstack.frontend(Rig.GUEST, "vif", 0);
            String backend = Toolstack.backend(0, "vif", Rig.GUEST, 0);

            assertEquals(Optional.of("00:16:3e:00:05:00"), d.read("mac"));
            assertEquals(Optional.of("xenbr0"), d.readOtherend("bridge"), "the guest may read its backend");
            assertEquals(Optional.empty(), d.readOtherend("no-such-node"));
            assertEquals(Optional.empty(), d.read("no-such-node"));

            List<String> watched = new CopyOnWriteArrayList<>();
            d.watch("", path -> watched.add(path + where()));
            d.watchOtherend("online", path -> watched.add(path + where()));
            Await.until(() -> watched.size() == 2, watched::toString);
            assertEquals(Set.of("device/vif/0 on the pool", backend + "/online on the pool"),
                    Set.copyOf(watched), "initial events, relative where the watch is, on the driver's thread");

            assertTrue(d.publish(Map.of("ring-ref", "8", "event-channel", "9")));
            assertEquals("8", rig.dom0.read(frontend + "/ring-ref"));
            assertEquals("n5 r0", rig.dom0.getPermissions(frontend + "/ring-ref").toString(),
                    "the guest's own node, readable by its backend");
            Await.until(() -> watched.contains("device/vif/0/ring-ref on the pool"), watched::toString);

            assertTrue(d.switchState(INITIALISED));
            assertEquals("3", rig.dom0.read(frontend + "/state"));
            Await.until(() -> seen.has("device/vif/0", INITIALISED, INITIALISING), seen.events::toString);
            assertTrue(d.switchState(INITIALISED), "already there: true, nothing written");

            rig.toolstack.state(backend, CONNECTED);
            Await.until(() -> driver.calls.contains("otherend CONNECTED"), driver.calls::toString);
            assertEquals(CONNECTED, d.otherendState());

            d.fatal(12, "allocating the ring");
            assertEquals("12 allocating the ring", rig.dom0.read(Toolstack.home(Rig.GUEST) + "/error/device/vif/0/error"),
                    "error/<nodename>/error under the guest's home, as xenbus_dev_fatal writes it");
            assertEquals("5", rig.dom0.read(frontend + "/state"), "fatal moves the device to Closing");
            Await.until(() -> seen.has("device/vif/0", CLOSING, CONNECTED), seen.events::toString);

            rig.toolstack.remove("vif", Rig.GUEST, 0);
            Await.until(() -> driver.calls.contains("remove device/vif/0"), driver.calls::toString);
            int before = watched.size();
            assertFalse(d.switchState(XenbusState.CLOSED), "gone: false");
            assertFalse(d.publish(Map.of("ring-ref", "9")), "gone: false");
            assertFalse(rig.dom0.exists(frontend), "nothing resurrected the device");
            assertThrows(IllegalStateException.class, () -> d.watch("state", p -> { }));
            rig.dom0.write(backend + "/online", "0"); // the backend's node again, by the toolstack
            Thread.sleep(300);
            assertEquals(before, watched.size(), "the device's watches were closed when it went: " + watched);
        }
    }
}
