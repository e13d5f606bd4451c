package org.jxenbus.xenbus.probe.internal.osgi;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jxenbus.xenbus.probe.internal.BusOptions;
import org.jxenbus.xenbus.probe.internal.DeviceBus;
import org.jxenbus.xenbus.probe.internal.DriverClaim;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.device.XenbusBus;
import org.jxenbus.xenstore.api.device.XenbusDriver;
import org.jxenbus.xenstore.api.device.XenbusProperties;
import org.jxenbus.xenstore.api.watch.WatchService;
import org.osgi.framework.BundleContext;

/**
 * What both bus components do, over a {@link DeviceBus}: devices as services ({@link DeviceRegistrations}) and
 * the driver whiteboard (each {@link XenbusDriver} service's {@code xenbus.type} claimed on the bus).
 */
final class BusRuntime {

    private static final Logger LOG = System.getLogger(BusRuntime.class.getName());

    private final XenbusBus bus;
    private final DeviceRegistrations registrations;
    private final DeviceBus deviceBus;
    private final Map<XenbusDriver, DriverClaim> claims = new ConcurrentHashMap<>();

    private BusRuntime(XenbusBus bus, DeviceRegistrations registrations, DeviceBus deviceBus) {
        this.bus = bus;
        this.registrations = registrations;
        this.deviceBus = deviceBus;
    }

    /**
     * Starts the bus, or logs one ERROR line naming the invalid property and returns null.
     */
    static BusRuntime start(BundleContext context, XenbusBus bus, XenstoreService store, WatchService watches,
            String pid, String[] kernelDrivenTypes, int callbackThreads) {
        BusOptions options;
        try {
            options = new BusOptions(types(kernelDrivenTypes), callbackThreads);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "xenbus configuration " + pid + " is invalid, no " + bus.value()
                    + " devices until it is fixed: " + e.getMessage());
            return null;
        }
        DeviceRegistrations registrations = new DeviceRegistrations(context);
        return new BusRuntime(bus, registrations, DeviceBus.start(bus, store, watches, options, registrations));
    }

    /** A driver service arrived: claims its types, or logs why not. */
    void addDriver(XenbusDriver driver, Map<String, Object> properties) {
        Set<String> types = types(properties.get(XenbusProperties.TYPE));
        try {
            claims.put(driver, deviceBus.claim(driver, types));
        } catch (IllegalArgumentException refused) {
            LOG.log(Level.WARNING, refused.getMessage() + " (service " + properties.get("service.id") + ")");
        }
    }

    /** A driver service went: releases its claim. */
    void removeDriver(XenbusDriver driver) {
        DriverClaim c = claims.remove(driver);
        if (c != null) {
            c.close();
        }
    }

    private static Set<String> types(Object value) {
        Set<String> types = new LinkedHashSet<>();
        if (value instanceof String s) {
            types.add(s);
        } else if (value instanceof String[] a) {
            types.addAll(Arrays.asList(a));
        } else if (value instanceof Collection<?> c) {
            c.forEach(t -> types.add(String.valueOf(t)));
        }
        types.removeIf(String::isBlank); // a configuration file's empty value means none
        return types;
    }

    /** Stops the bus and unregisters its devices. */
    void close() {
        claims.values().forEach(DriverClaim::close);
        claims.clear();
        deviceBus.close();
        registrations.unregisterAll();
    }

    @Override
    public String toString() {
        return "xenbus " + bus.value() + " runtime";
    }
}
