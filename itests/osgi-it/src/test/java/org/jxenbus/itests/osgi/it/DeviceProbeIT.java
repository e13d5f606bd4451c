package org.jxenbus.itests.osgi.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.jxenbus.xenstore.api.XenbusState.CLOSED;
import static org.jxenbus.xenstore.api.XenbusState.CLOSING;
import static org.jxenbus.xenstore.api.XenbusState.CONNECTED;
import static org.jxenbus.xenstore.api.XenbusState.INITIALISED;
import static org.jxenbus.xenstore.api.XenbusState.INITIALISING;
import static org.jxenbus.xenstore.api.XenbusState.INIT_WAIT;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.jar.Attributes;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.jxenbus.itests.osgi.driver.DriverActivator;
import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.device.XenbusDevice;
import org.jxenbus.xenstore.api.device.XenbusDriver;
import org.jxenbus.xenstore.api.device.XenbusProperties;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The device probe (bundle {@code org.jxenbus.xenbus.probe}, its backend bus configured through Config Admin) and a
 * driver bundle the test makes of package {@code org.jxenbus.itests.osgi.driver} (a {@code XenbusDriver} claiming
 * {@code vif} on the backend bus), in Felix, against the real xenstored over dom0's socket. The test is the
 * toolstack (it writes a vif's backend and frontend directories as libxl does, and removes them) and the guest's
 * netfront (it answers the backend's states in the frontend's nodes); the driver bundle is netback.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class DeviceProbeIT extends FelixContainer {

    private static final String PROBE_BSN = "org.jxenbus.xenbus.probe";
    private static final String BACKEND_PID = "org.jxenbus.xenbus.probe.backend";
    private static final String BACKEND_COMPONENT = "org.jxenbus.xenbus.probe.internal.osgi.BackendBusComponent";
    /** The package the driver bundle is made of, as a folder of the test classes. */
    private static final String DRIVER_PACKAGE = "org/jxenbus/itests/osgi/driver";
    /** The guest whose vifs dom0 serves, introduced but never running: the test writes its frontend nodes as dom0. */
    private static final int GUEST = 5;
    private static final String DOM0_HOME = "/local/domain/0";
    private static final String GUEST_HOME = "/local/domain/" + GUEST;
    /** Service properties the framework sets on every service; the rest of a device's are the probe's. */
    private static final Set<String> FRAMEWORK_PROPERTIES = Set.of(Constants.OBJECTCLASS, Constants.SERVICE_ID,
            Constants.SERVICE_BUNDLEID, Constants.SERVICE_SCOPE);

    private XenstoreService xs;

    /** Guest {@value #GUEST} is introduced: xenstored refuses permissions naming a domain it does not know. */
    @Override
    int[] guests() {
        return new int[] {GUEST};
    }

    /**
     * A vif plugged by the toolstack appears as a XenbusDevice service with exactly the documented properties;
     * the driver bundle is offered it and drives the handshake with the test's frontend to Connected on both
     * ends; a second vif hot-plugged is a second service, driven the same way; the first, unplugged by its guest
     * (Closing, Closed) and removed by the toolstack, goes, with remove() for the driver, while the second stays.
     */
    @Test
    public void vifsPluggedAppearAsServicesAreDrivenToConnectedAndGoWhenUnplugged() throws Exception {
        startBackendBus();
        installDriver().start();
        Supplier<List<String>> driver = awaitDriver();

        plug(0);
        ServiceReference<XenbusDevice> vif0 = awaitDevice(0);
        assertEquals("the device service is the probe's", PROBE_BSN, vif0.getBundle().getSymbolicName());
        Map<String, Object> first = documented(vif0);
        assertTrue("a new device, Initialising or already InitWait: " + first,
                Set.of(INITIALISING.code(), INIT_WAIT.code()).contains(first.get(XenbusProperties.STATE)));
        first.put(XenbusProperties.STATE, INITIALISING.code());
        assertEquals("exactly the documented properties", expected(0, INITIALISING, INITIALISING), first);
        XenbusDevice device = context().getService(vif0);
        assertEquals("the service object says what its properties say", List.of("backend/vif/5/0", "vif", "0",
                frontend(0), GUEST), List.of(device.nodename(), device.type(), device.id(), device.otherend(),
                        device.otherendId()));

        playFrontendToConnected(0);
        awaitStates(0, CONNECTED, CONNECTED);
        assertEquals("updated with both states", expected(0, CONNECTED, CONNECTED), documented(device(0)));
        assertEquals("the same service, modified", vif0.getProperty(Constants.SERVICE_ID),
                device(0).getProperty(Constants.SERVICE_ID));
        assertEquals(CONNECTED, device.state());
        assertEquals(CONNECTED, device.otherendState());
        assertEquals("the driver published its feature", "1", xs.read(backend(0) + "/feature-test"));
        awaitCall(driver, "otherend backend/vif/5/0 CONNECTED");
        assertEquals("the driver bundle was offered the new device and drove the whole handshake",
                List.of("probe backend/vif/5/0 INITIALISING/INITIALISING", "state backend/vif/5/0 INIT_WAIT",
                        "otherend backend/vif/5/0 INITIALISED", "ring-ref backend/vif/5/0 8",
                        "state backend/vif/5/0 CONNECTED", "otherend backend/vif/5/0 CONNECTED"),
                calls(driver, 0));

        plug(1);
        ServiceReference<XenbusDevice> vif1 = awaitDevice(1);
        playFrontendToConnected(1);
        awaitStates(1, CONNECTED, CONNECTED);
        assertEquals("a second service for the second device", expected(1, CONNECTED, CONNECTED),
                documented(device(1)));
        assertEquals(List.of("backend/vif/5/0", "backend/vif/5/1"), nodenames());

        unplugFromTheGuest(0);
        await("vif 0's service unregistered", WAIT_MILLIS, () -> device(0) == null);
        awaitCall(driver, "remove backend/vif/5/0");
        assertEquals("the driver wrote each backend state once, and was told remove() last",
                List.of("probe backend/vif/5/0 INITIALISING/INITIALISING", "state backend/vif/5/0 INIT_WAIT",
                        "state backend/vif/5/0 CONNECTED", "state backend/vif/5/0 CLOSING",
                        "state backend/vif/5/0 CLOSED", "remove backend/vif/5/0"),
                calls(driver, 0).stream().filter(c -> !c.startsWith("otherend ") && !c.startsWith("ring-ref "))
                        .toList());
        assertFalse("nothing recreated the backend", xs.exists(backend(0)));
        assertFalse("nothing recreated the frontend", xs.exists(frontend(0)));
        assertEquals("the second device stays as it was", List.of("backend/vif/5/1"), nodenames());
        assertEquals(vif1.getProperty(Constants.SERVICE_ID), device(1).getProperty(Constants.SERVICE_ID));
        assertEquals(expected(1, CONNECTED, CONNECTED), documented(device(1)));
        assertFalse("no device reported an error", xs.exists(DOM0_HOME + "/error"));
    }

    /**
     * The driver bundle stopped: its devices stay registered and untouched, and it is called no more (not even
     * remove()), so a guest's Closing goes unanswered; started again, the new driver is offered the device in
     * its current state (Connected here, the guest Closing) and closes it. The probe bundle stopped: every device
     * service goes, the store's nodes stay as they are, and the probe's threads end; started again, the devices
     * come back in their current states and the driver is offered them again.
     */
    @Test
    public void driverAndProbeBundlesStoppedReleaseTheirDevicesAndRestartedTakeThemBack() throws Exception {
        startBackendBus();
        Bundle driverBundle = installDriver();
        driverBundle.start();
        Supplier<List<String>> driver = awaitDriver();
        plug(0);
        awaitDevice(0);
        playFrontendToConnected(0);
        awaitStates(0, CONNECTED, CONNECTED);
        awaitCall(driver, "otherend backend/vif/5/0 CONNECTED");
        Object serviceId = device(0).getProperty(Constants.SERVICE_ID);

        driverBundle.stop();
        List<String> before = driver.get();
        assertNull("no driver service", context().getServiceReference(XenbusDriver.class));
        assertEquals("the device service stays, unchanged", serviceId, device(0).getProperty(Constants.SERVICE_ID));
        assertEquals(expected(0, CONNECTED, CONNECTED), documented(device(0)));
        xs.write(frontend(0) + "/state", code(CLOSING));
        awaitStates(0, CONNECTED, CLOSING);
        assertEquals("with no driver, the guest's Closing is not answered", code(CONNECTED),
                xs.read(backend(0) + "/state"));

        driverBundle.start();
        Supplier<List<String>> restarted = awaitDriver();
        awaitCall(restarted, "state backend/vif/5/0 CLOSING");
        assertEquals("the restarted driver is offered the device in its current state, and answers the Closing",
                List.of("probe backend/vif/5/0 CONNECTED/CLOSING", "state backend/vif/5/0 CLOSING"),
                calls(restarted, 0));
        xs.write(frontend(0) + "/state", code(CLOSED));
        awaitValue(xs, backend(0) + "/state", code(CLOSED));
        awaitStates(0, CLOSED, CLOSED);
        assertEquals("the stopped driver was called no more, not even remove()", before, driver.get());
        assertFalse(before.stream().anyMatch(c -> c.startsWith("remove ")));

        plug(1);
        awaitDevice(1);
        playFrontendToConnected(1);
        awaitStates(1, CONNECTED, CONNECTED);
        assertEquals(List.of("backend/vif/5/0", "backend/vif/5/1"), nodenames());
        assertTrue("the bus has its threads: " + ThreadCensus.take(), ThreadCensus.take().named("xenbus-") > 0);

        Bundle probe = installed(PROBE_BSN);
        probe.stop();
        assertEquals("every device service went with the probe", List.of(), nodenames());
        assertNotNull("the driver's own service stays", context().getServiceReference(XenbusDriver.class));
        assertEquals("the store is left as it was", List.of(code(CLOSED), code(CLOSED), code(CONNECTED),
                code(CONNECTED)), List.of(xs.read(backend(0) + "/state"), xs.read(frontend(0) + "/state"),
                        xs.read(backend(1) + "/state"), xs.read(frontend(1) + "/state")));
        await("the probe's threads ended", WAIT_MILLIS, () -> ThreadCensus.take().named("xenbus-") == 0);

        List<String> beforeProbeRestart = restarted.get();
        probe.start();
        awaitStates(0, CLOSED, CLOSED);
        awaitStates(1, CONNECTED, CONNECTED);
        assertEquals(expected(1, CONNECTED, CONNECTED), documented(device(1)));
        awaitCall(restarted, "probe backend/vif/5/1 CONNECTED/CONNECTED");
        awaitCall(restarted, "probe backend/vif/5/0 CLOSED/CLOSED");
        assertEquals("offered again, adopted as they are: nothing written", code(CONNECTED),
                xs.read(backend(1) + "/state"));
        assertTrue("the driver was not told remove() when the probe stopped: " + beforeProbeRestart,
                beforeProbeRestart.stream().noneMatch(c -> c.startsWith("remove ")));
    }

    // ---- the runtime ----

    /**
     * The store on dom0's socket, no device nodes left by an earlier test (the class's xenstored outlives each
     * test's framework), then the backend bus, with vif handed to bundles: in a Linux dom0 netback drives it,
     * here the driver bundle does. Returns once the bus component is active.
     */
    private void startBackendBus() throws IOException {
        configureStore(Map.of("uri", property(SOCKET)));
        xs = awaitService(XenstoreService.class);
        for (String path : List.of(DOM0_HOME + "/backend", DOM0_HOME + "/error", GUEST_HOME)) {
            xs.mkdir(path);
            xs.rm(path);
        }
        xs.mkdir(GUEST_HOME);
        xs.setPermissions(GUEST_HOME, Permissions.parse("n" + GUEST)); // the guest's home, as libxl makes it
        Dictionary<String, Object> bus = new Hashtable<>();
        bus.put("kernelDrivenTypes", new String[] {"vbd"});
        awaitService(ConfigurationAdmin.class).getConfiguration(BACKEND_PID, "?").update(bus);
        ServiceComponentRuntime scr = awaitService(ServiceComponentRuntime.class);
        Bundle probe = installed(PROBE_BSN);
        await("the backend bus component active", WAIT_MILLIS, () -> {
            ComponentDescriptionDTO d = scr.getComponentDescriptionDTO(probe, BACKEND_COMPONENT);
            Collection<ComponentConfigurationDTO> configs = d == null ? List.of()
                    : scr.getComponentConfigurationDTOs(d);
            return configs.stream().anyMatch(c -> c.state == ComponentConfigurationDTO.ACTIVE);
        });
    }

    /**
     * Installs the driver bundle, made here of the driver package's classes (which this probe bundle carries) with
     * a manifest importing only the API and the framework.
     */
    private Bundle installDriver() throws BundleException {
        Map<String, byte[]> classes = new TreeMap<>();
        Enumeration<URL> entries = context().getBundle().findEntries(DRIVER_PACKAGE, "*.class", false);
        while (entries != null && entries.hasMoreElements()) {
            URL u = entries.nextElement();
            try (InputStream in = u.openStream()) {
                classes.put(u.getPath().substring(1), in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + u, e);
            }
        }
        assertEquals("the driver's classes", Set.of(DRIVER_PACKAGE + "/DriverActivator.class",
                DRIVER_PACKAGE + "/VifBackendDriver.class"), classes.keySet());
        byte[] jar = BundleJars.bundle(classes, (Attributes a) -> {
            a.putValue("Bundle-ManifestVersion", "2");
            a.putValue("Bundle-SymbolicName", DriverActivator.BSN);
            a.putValue("Bundle-Version", "0.1.0");
            a.putValue("Bundle-Activator", DriverActivator.class.getName());
            a.putValue("Import-Package", "org.jxenbus.xenstore.api;version=\"[1.0,2)\","
                    + "org.jxenbus.xenstore.api.device;version=\"[1.0,2)\",org.osgi.framework;version=\"[1.8,2)\"");
        });
        return context().installBundle("it:" + DriverActivator.BSN, new ByteArrayInputStream(jar));
    }

    /** The driver bundle's driver, as its record of calls (the one type this bundle and the driver share). */
    @SuppressWarnings("unchecked")
    private Supplier<List<String>> awaitDriver() {
        await("the driver bundle's XenbusDriver", WAIT_MILLIS,
                () -> context().getServiceReference(XenbusDriver.class) != null);
        ServiceReference<XenbusDriver> ref = context().getServiceReference(XenbusDriver.class);
        assertEquals(DriverActivator.BSN, ref.getBundle().getSymbolicName());
        return (Supplier<List<String>>) (Object) context().getService(ref);
    }

    private static void awaitCall(Supplier<List<String>> driver, String call) {
        await("the driver's call \"" + call + "\" among " + driver.get(), WAIT_MILLIS,
                () -> driver.get().contains(call));
    }

    /** The driver's calls for vif {@code devid}, in order. */
    private static List<String> calls(Supplier<List<String>> driver, int devid) {
        String nodename = " backend/vif/" + GUEST + "/" + devid;
        return driver.get().stream().filter(c -> c.contains(nodename + " ") || c.endsWith(nodename)).toList();
    }

    // ---- the device services ----

    /** The service of vif {@code devid}, or null. */
    private ServiceReference<XenbusDevice> device(int devid) {
        try {
            Collection<ServiceReference<XenbusDevice>> refs = context().getServiceReferences(XenbusDevice.class,
                    "(" + XenbusProperties.NODENAME + "=backend/vif/" + GUEST + "/" + devid + ")");
            assertTrue("one service per device: " + refs, refs.size() <= 1);
            return refs.isEmpty() ? null : refs.iterator().next();
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private ServiceReference<XenbusDevice> awaitDevice(int devid) {
        await("vif " + devid + "'s service", WAIT_MILLIS, () -> device(devid) != null);
        return device(devid);
    }

    private void awaitStates(int devid, XenbusState state, XenbusState otherend) {
        await("vif " + devid + "'s service with states " + state + "/" + otherend, WAIT_MILLIS, () -> {
            ServiceReference<XenbusDevice> r = device(devid);
            return r != null && Integer.valueOf(state.code()).equals(r.getProperty(XenbusProperties.STATE))
                    && Integer.valueOf(otherend.code()).equals(r.getProperty(XenbusProperties.OTHEREND_STATE));
        });
    }

    /** The nodenames of every XenbusDevice service, sorted. */
    private List<String> nodenames() throws InvalidSyntaxException {
        List<String> names = new ArrayList<>();
        for (ServiceReference<XenbusDevice> r : context().getServiceReferences(XenbusDevice.class, null)) {
            names.add((String) r.getProperty(XenbusProperties.NODENAME));
        }
        names.sort(null);
        return names;
    }

    /** The service's properties but the framework's, arrays as lists. */
    private static Map<String, Object> documented(ServiceReference<XenbusDevice> ref) {
        assertNotNull("the device's service", ref);
        Map<String, Object> p = new LinkedHashMap<>();
        for (String key : ref.getPropertyKeys()) {
            if (!FRAMEWORK_PROPERTIES.contains(key)) {
                Object v = ref.getProperty(key);
                p.put(key, v instanceof String[] a ? List.of(a) : v);
            }
        }
        return p;
    }

    /** What XenbusProperties documents for vif {@code devid} on dom0's backend bus. */
    private static Map<String, Object> expected(int devid, XenbusState state, XenbusState otherend) {
        String nodename = "backend/vif/" + GUEST + "/" + devid;
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(XenbusProperties.BUS, "backend");
        p.put(XenbusProperties.TYPE, "vif");
        p.put(XenbusProperties.ID, Integer.toString(devid));
        p.put(XenbusProperties.NODENAME, nodename);
        p.put(XenbusProperties.OTHEREND, frontend(devid));
        p.put(XenbusProperties.OTHEREND_ID, GUEST);
        p.put(XenbusProperties.STATE, state.code());
        p.put(XenbusProperties.OTHEREND_STATE, otherend.code());
        p.put(XenbusProperties.DEVICE_CATEGORY, List.of("xen.vif"));
        p.put(XenbusProperties.DEVICE_SERIAL, nodename);
        p.put(XenbusProperties.DEVICE_DESCRIPTION, "Xen vif " + devid + " (backend " + nodename + ", other end "
                + frontend(devid) + " in domain " + GUEST + ")");
        return p;
    }

    // ---- the toolstack and the guest ----

    private static String frontend(int devid) {
        return GUEST_HOME + "/device/vif/" + devid;
    }

    private static String backend(int devid) {
        return DOM0_HOME + "/backend/vif/" + GUEST + "/" + devid;
    }

    private static String code(XenbusState state) {
        return Integer.toString(state.code());
    }

    /**
     * Adds vif {@code devid} as libxl does ({@code libxl__device_generic_add}): both directories in one
     * transaction, both ends Initialising; the frontend's owned by the guest and readable by dom0, the backend's
     * owned by dom0 and readable by the guest, their nodes inheriting that.
     */
    private void plug(int devid) {
        String mac = String.format("00:16:3e:00:%02x:%02x", GUEST, devid);
        Map<String, String> front = new LinkedHashMap<>();
        front.put("backend", backend(devid));
        front.put("backend-id", "0");
        front.put("state", code(INITIALISING));
        front.put("handle", Integer.toString(devid));
        front.put("mac", mac);
        Map<String, String> back = new LinkedHashMap<>();
        back.put("frontend", frontend(devid));
        back.put("frontend-id", Integer.toString(GUEST));
        back.put("online", "1");
        back.put("state", code(INITIALISING));
        back.put("handle", Integer.toString(devid));
        back.put("mac", mac);
        back.put("bridge", "xenbr0");
        back.put("script", "/etc/xen/scripts/vif-bridge");
        back.put("type", "vif");
        xs.transaction(tx -> {
            for (Map.Entry<String, Map<String, String>> dir : Map.of(frontend(devid), front, backend(devid), back)
                    .entrySet()) {
                tx.mkdir(dir.getKey());
                tx.setPermissions(dir.getKey(), Permissions.parse(dir.getKey().equals(frontend(devid))
                        ? "n" + GUEST + " r0" : "n0 r" + GUEST)); // first: the nodes below inherit it
                dir.getValue().forEach((k, v) -> tx.write(dir.getKey() + "/" + k, v));
            }
            return null;
        });
    }

    /**
     * The guest's netfront: once the backend waits (InitWait) with its feature published, publishes its ring and
     * event channel and goes Initialised; once the backend is Connected, goes Connected.
     */
    private void playFrontendToConnected(int devid) {
        awaitValue(xs, backend(devid) + "/state", code(INIT_WAIT));
        assertEquals("the backend published its feature before InitWait", "1",
                xs.read(backend(devid) + "/feature-test"));
        xs.write(frontend(devid) + "/ring-ref", "8");
        xs.write(frontend(devid) + "/event-channel", "9");
        xs.write(frontend(devid) + "/state", code(INITIALISED));
        awaitValue(xs, backend(devid) + "/state", code(CONNECTED));
        xs.write(frontend(devid) + "/state", code(CONNECTED));
    }

    /**
     * The guest unplugs: its frontend goes Closing, the backend follows; the frontend goes Closed, the backend
     * follows; then the toolstack removes both directories.
     */
    private void unplugFromTheGuest(int devid) {
        xs.write(frontend(devid) + "/state", code(CLOSING));
        awaitValue(xs, backend(devid) + "/state", code(CLOSING));
        xs.write(frontend(devid) + "/state", code(CLOSED));
        awaitValue(xs, backend(devid) + "/state", code(CLOSED));
        xs.transaction(tx -> {
            tx.rm(frontend(devid));
            tx.rm(backend(devid));
            return null;
        });
    }
}
