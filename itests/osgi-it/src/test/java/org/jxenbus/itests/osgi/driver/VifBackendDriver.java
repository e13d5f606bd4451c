package org.jxenbus.itests.osgi.driver;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.api.device.BoundDevice;
import org.jxenbus.xenstore.api.device.XenbusDriver;

/**
 * The backend end of netif.h's handshake, as netback does it: a new device gets {@code feature-test} published
 * and goes InitWait; the frontend's Initialised (its {@code ring-ref} read) makes it Connected; the frontend's
 * Closing makes it Closing and the frontend's Closed makes it Closed. A device offered in a later state is adopted
 * as it is. It records each callback and each state it wrote, in order, as lines the tests read through
 * {@link Supplier} (a type both the test and this bundle see from the JDK).
 */
final class VifBackendDriver implements XenbusDriver, Supplier<List<String>> {

    /** What this driver publishes in a new device's node, so a frontend can check who answered. */
    static final String FEATURE = "feature-test";

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, XenbusState> mine = new ConcurrentHashMap<>();

    @Override
    public void probe(BoundDevice device) {
        calls.add("probe " + device.nodename() + " " + device.state() + "/" + device.otherendState());
        mine.put(device.nodename(), device.state());
        if (device.state() == XenbusState.INITIALISING) {
            device.publish(Map.of(FEATURE, "1"));
            switchTo(device, XenbusState.INIT_WAIT);
        }
        react(device, device.otherendState());
    }

    @Override
    public void otherendChanged(BoundDevice device, XenbusState state) {
        calls.add("otherend " + device.nodename() + " " + state);
        react(device, state);
    }

    @Override
    public void remove(BoundDevice device) {
        calls.add("remove " + device.nodename());
        mine.remove(device.nodename());
    }

    private void react(BoundDevice device, XenbusState otherend) {
        XenbusState me = mine.get(device.nodename());
        if (otherend == XenbusState.INITIALISED && me == XenbusState.INIT_WAIT) {
            calls.add("ring-ref " + device.nodename() + " " + device.readOtherend("ring-ref").orElse("none"));
            switchTo(device, XenbusState.CONNECTED);
        } else if (otherend == XenbusState.CLOSING && me != XenbusState.CLOSING && me != XenbusState.CLOSED) {
            switchTo(device, XenbusState.CLOSING);
        } else if (otherend == XenbusState.CLOSED && me != XenbusState.CLOSED) {
            switchTo(device, XenbusState.CLOSED);
        }
    }

    private void switchTo(BoundDevice device, XenbusState state) {
        if (device.switchState(state)) {
            mine.put(device.nodename(), state);
            calls.add("state " + device.nodename() + " " + state);
        }
    }

    /** The callbacks and writes so far, in order. */
    @Override
    public List<String> get() {
        return List.copyOf(calls);
    }
}
