package org.jxenbus.guest.agent.internal.osgi;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jxenbus.guest.agent.internal.VifDevices;
import org.jxenbus.xenstore.api.device.XenbusBus;
import org.jxenbus.xenstore.api.device.XenbusDevice;
import org.jxenbus.xenstore.api.device.XenbusProperties;

/**
 * The vifs the device probe registered as {@link XenbusDevice} services on the frontend bus, as the component's
 * dynamic reference binds them. Thread-safe.
 */
final class ProbedVifDevices implements VifDevices {

    /** The frontend vifs among the probe's devices. */
    static final String VIF_FILTER = "(&(" + XenbusProperties.BUS + "=frontend)(" + XenbusProperties.TYPE + "=vif))";

    private final Set<XenbusDevice> devices = ConcurrentHashMap.newKeySet();

    void add(XenbusDevice device) {
        devices.add(device);
    }

    void remove(XenbusDevice device) {
        devices.remove(device);
    }

    @Override
    public List<String> devids() {
        return devices.stream().filter(d -> d.bus() == XenbusBus.FRONTEND && "vif".equals(d.type()))
                .map(XenbusDevice::id).sorted().toList();
    }
}
