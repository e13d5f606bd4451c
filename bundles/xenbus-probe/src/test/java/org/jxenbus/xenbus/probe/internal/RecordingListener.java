package org.jxenbus.xenbus.probe.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.api.device.XenbusDevice;
import org.jxenbus.xenstore.api.device.XenbusProperties;

/** What a bus told its listener: the service properties each device would have now, and the order of events. */
final class RecordingListener implements DeviceListener {

    final Map<String, Map<String, Object>> current = new ConcurrentHashMap<>();
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void added(XenbusDevice device) {
        current.put(device.nodename(), comparable(device));
        events.add("added " + describe(device));
    }

    @Override
    public void changed(XenbusDevice device) {
        current.put(device.nodename(), comparable(device));
        events.add("changed " + describe(device));
    }

    @Override
    public void removed(XenbusDevice device) {
        current.remove(device.nodename());
        events.add("removed " + device.nodename());
    }

    /** The properties with arrays as lists, so that maps compare by value. */
    private static Map<String, Object> comparable(XenbusDevice device) {
        Map<String, Object> p = DeviceProperties.of(device);
        p.replaceAll((k, v) -> v instanceof String[] a ? List.of(a) : v);
        return p;
    }

    private static String describe(XenbusDevice d) {
        return d.nodename() + " " + d.state().code() + "/" + d.otherendState().code();
    }

    /** Whether the device is known with these states (this end, other end). */
    boolean has(String nodename, XenbusState state, XenbusState otherendState) {
        Map<String, Object> p = current.get(nodename);
        return p != null && p.get(XenbusProperties.STATE).equals(state.code())
                && p.get(XenbusProperties.OTHEREND_STATE).equals(otherendState.code());
    }
}
