package org.jxenbus.xenbus.probe.internal;

import org.jxenbus.xenstore.api.device.XenbusDevice;

/**
 * Told what a bus found, on the bus's thread, in order: each device is added once, changed any number of times
 * (either state), removed at most once. The OSGi layer registers, updates and unregisters services from it.
 */
public interface DeviceListener {

    /** A complete device appeared (or was there when the bus started). */
    void added(XenbusDevice device);

    /** Its state or its other end's changed; the device's getters give the new ones. */
    void changed(XenbusDevice device);

    /** Its node went. */
    void removed(XenbusDevice device);
}
