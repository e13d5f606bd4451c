package org.jxenbus.xenbus.probe.internal.osgi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jxenbus.xenbus.probe.internal.DeviceListener;
import org.jxenbus.xenbus.probe.internal.DeviceProperties;
import org.jxenbus.xenstore.api.device.XenbusDevice;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/** Each device of a bus as a {@link XenbusDevice} service: registered, updated as its states change, unregistered. */
final class DeviceRegistrations implements DeviceListener {

    private final BundleContext context;
    private final Map<String, ServiceRegistration<XenbusDevice>> byNodename = new ConcurrentHashMap<>();

    DeviceRegistrations(BundleContext context) {
        this.context = context;
    }

    @Override
    public void added(XenbusDevice device) {
        byNodename.put(device.nodename(), context.registerService(XenbusDevice.class, device,
                FrameworkUtil.asDictionary(DeviceProperties.of(device))));
    }

    @Override
    public void changed(XenbusDevice device) {
        ServiceRegistration<XenbusDevice> r = byNodename.get(device.nodename());
        if (r != null) {
            r.setProperties(FrameworkUtil.asDictionary(DeviceProperties.of(device)));
        }
    }

    @Override
    public void removed(XenbusDevice device) {
        ServiceRegistration<XenbusDevice> r = byNodename.remove(device.nodename());
        if (r != null) {
            unregister(r);
        }
    }

    /** Unregisters every device (the bus stopped). */
    void unregisterAll() {
        for (String nodename : Map.copyOf(byNodename).keySet()) {
            ServiceRegistration<XenbusDevice> r = byNodename.remove(nodename);
            if (r != null) {
                unregister(r);
            }
        }
    }

    private static void unregister(ServiceRegistration<XenbusDevice> r) {
        try {
            r.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping: the framework unregistered it
        }
    }
}
