package org.jxenbus.xenbus.probe.internal;

import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.api.device.XenbusBus;
import org.jxenbus.xenstore.api.device.XenbusDevice;
import org.jxenbus.xenstore.api.watch.Watch;

/**
 * One device a bus knows. Its identity is fixed; its states are written by the bus's thread only and read by
 * anyone (volatile), which makes it the device service object as well.
 */
final class DeviceRecord implements XenbusDevice {

    private final XenbusBus bus;
    private final String type;
    private final String id;
    private final String nodename;
    private final String otherend;
    private final int otherendId;
    private volatile XenbusState state;
    private volatile XenbusState otherendState;
    private volatile boolean removed;
    private Watch otherendWatch; // bus thread only

    DeviceRecord(XenbusBus bus, String type, String id, String nodename, String otherend, int otherendId,
            XenbusState state, XenbusState otherendState) {
        this.bus = bus;
        this.type = type;
        this.id = id;
        this.nodename = nodename;
        this.otherend = otherend;
        this.otherendId = otherendId;
        this.state = state;
        this.otherendState = otherendState;
    }

    @Override
    public XenbusBus bus() {
        return bus;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String nodename() {
        return nodename;
    }

    @Override
    public String otherend() {
        return otherend;
    }

    @Override
    public int otherendId() {
        return otherendId;
    }

    @Override
    public XenbusState state() {
        return state;
    }

    @Override
    public XenbusState otherendState() {
        return otherendState;
    }

    /** Whether the device's node went. */
    boolean removed() {
        return removed;
    }

    /** @return whether it changed */
    boolean state(XenbusState s) {
        XenbusState old = state;
        state = s;
        return old != s;
    }

    /** @return whether it changed */
    boolean otherendState(XenbusState s) {
        XenbusState old = otherendState;
        otherendState = s;
        return old != s;
    }

    void otherendWatch(Watch w) {
        otherendWatch = w;
    }

    /** Marks it gone and stops watching the other end. */
    void remove() {
        removed = true;
        if (otherendWatch != null) {
            otherendWatch.close();
            otherendWatch = null;
        }
    }

    @Override
    public String toString() {
        return bus.value() + " " + nodename + " (" + state + ", other end " + otherend + " in domain " + otherendId
                + ": " + otherendState + ")";
    }
}
