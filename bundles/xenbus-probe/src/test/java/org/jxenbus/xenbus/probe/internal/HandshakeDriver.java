package org.jxenbus.xenbus.probe.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.api.device.BoundDevice;
import org.jxenbus.xenstore.api.device.XenbusBus;
import org.jxenbus.xenstore.api.device.XenbusDriver;

/**
 * A test driver doing the handshake of blkif.h/netif.h for either end, as netfront/netback and blkfront/blkback
 * do: the backend publishes a feature and goes InitWait; the frontend reads it, publishes its ring and event
 * channel and goes Initialised; the backend reads those and goes Connected; the frontend goes Connected. Closing:
 * either end going Closing makes the backend follow to Closing; the frontend answers the backend's Closing with
 * Closed; the backend answers the frontend's Closed with Closed. It records every callback, the thread it ran on,
 * and every state it wrote.
 */
class HandshakeDriver implements XenbusDriver {

    final XenbusBus end;
    final Map<String, BoundDevice> bound = new ConcurrentHashMap<>();
    final Map<String, List<XenbusState>> written = new ConcurrentHashMap<>();
    final Map<String, String> ringRefSeen = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    private final Map<String, XenbusState> mine = new ConcurrentHashMap<>();

    HandshakeDriver(XenbusBus end) {
        this.end = end;
    }

    @Override
    public void probe(BoundDevice device) {
        record("probe " + device.nodename() + " " + device.state() + "/" + device.otherendState());
        bound.put(device.nodename(), device);
        mine.put(device.nodename(), device.state());
        if (end == XenbusBus.BACKEND && device.state() == XenbusState.INITIALISING) {
            device.publish(Map.of("feature-test", "1"));
            switchTo(device, XenbusState.INIT_WAIT);
        }
        react(device, device.otherendState());
    }

    @Override
    public void otherendChanged(BoundDevice device, XenbusState state) {
        record("otherend " + device.nodename() + " " + state);
        react(device, state);
    }

    @Override
    public void remove(BoundDevice device) {
        record("remove " + device.nodename());
        bound.remove(device.nodename());
    }

    private void record(String call) {
        calls.add(call);
        threads.add(Thread.currentThread().getName());
    }

    private void react(BoundDevice device, XenbusState otherend) {
        XenbusState me = mine.get(device.nodename());
        if (end == XenbusBus.FRONTEND) {
            if (otherend == XenbusState.INIT_WAIT && me == XenbusState.INITIALISING) {
                if (!device.readOtherend("feature-test").equals(java.util.Optional.of("1"))) {
                    device.fatal(22, "backend published no feature-test");
                    return;
                }
                device.publish(Map.of("ring-ref", "8", "event-channel", "9"));
                switchTo(device, XenbusState.INITIALISED);
            } else if (otherend == XenbusState.CONNECTED && me == XenbusState.INITIALISED) {
                switchTo(device, XenbusState.CONNECTED);
            } else if (otherend == XenbusState.CLOSING && me != XenbusState.CLOSED) {
                switchTo(device, XenbusState.CLOSED);
            }
        } else {
            if (otherend == XenbusState.INITIALISED && me == XenbusState.INIT_WAIT) {
                ringRefSeen.put(device.nodename(), device.readOtherend("ring-ref").orElse("none"));
                switchTo(device, XenbusState.CONNECTED);
            } else if (otherend == XenbusState.CLOSING && me != XenbusState.CLOSING && me != XenbusState.CLOSED) {
                switchTo(device, XenbusState.CLOSING);
            } else if (otherend == XenbusState.CLOSED && me != XenbusState.CLOSED) {
                switchTo(device, XenbusState.CLOSED);
            }
        }
    }

    /** Switches a device's state (also for the test, as the frontend's unplug request); records it if written. */
    boolean switchTo(BoundDevice device, XenbusState state) {
        boolean present = device.switchState(state);
        if (present) {
            mine.put(device.nodename(), state);
            written.computeIfAbsent(device.nodename(), n -> new CopyOnWriteArrayList<>()).add(state);
        }
        return present;
    }

    List<XenbusState> written(String nodename) {
        return written.getOrDefault(nodename, List.of());
    }

    @Override
    public String toString() {
        return "HandshakeDriver[" + end.value() + "]";
    }
}
