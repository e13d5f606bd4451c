package org.jxenbus.xenbus.probe.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jxenbus.xenstore.api.device.XenbusDevice;
import org.jxenbus.xenstore.api.device.XenbusProperties;

/** The service properties of a device, as {@link XenbusProperties} defines them. */
public final class DeviceProperties {

    private DeviceProperties() {
    }

    /** The properties of {@code d} now, in a new mutable map. */
    public static Map<String, Object> of(XenbusDevice d) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(XenbusProperties.BUS, d.bus().value());
        p.put(XenbusProperties.TYPE, d.type());
        p.put(XenbusProperties.ID, d.id());
        p.put(XenbusProperties.NODENAME, d.nodename());
        p.put(XenbusProperties.OTHEREND, d.otherend());
        p.put(XenbusProperties.OTHEREND_ID, d.otherendId());
        p.put(XenbusProperties.STATE, d.state().code());
        p.put(XenbusProperties.OTHEREND_STATE, d.otherendState().code());
        p.put(XenbusProperties.DEVICE_CATEGORY, new String[] {XenbusProperties.CATEGORY_PREFIX + d.type()});
        p.put(XenbusProperties.DEVICE_SERIAL, d.nodename());
        p.put(XenbusProperties.DEVICE_DESCRIPTION, "Xen " + d.type() + " " + d.id() + " (" + d.bus().value() + " "
                + d.nodename() + ", other end " + d.otherend() + " in domain " + d.otherendId() + ")");
        return p;
    }
}
