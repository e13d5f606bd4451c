package org.jxenbus.xenbus.probe.internal.osgi;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.jxenbus.xenstore.api.device.XenbusDevice;
import org.jxenbus.xenstore.api.device.XenbusDeviceEvents;
import org.jxenbus.xenstore.api.device.XenbusProperties;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Posts device events to Event Admin ({@link XenbusDeviceEvents}), from the device services' own life: REGISTERED
 * is ADDED, MODIFIED with another state is STATE_CHANGED, UNREGISTERING is REMOVED. Active only while Event Admin
 * is there; devices already registered when it arrives are posted ADDED once. Events are posted, never sent, from
 * the thread that changed the service (a bus thread). Public only for Declarative Services.
 */
@Component(service = {})
public final class DeviceEventPublisher implements ServiceListener {

    private static final String[] EVENT_PROPERTIES = {XenbusProperties.BUS, XenbusProperties.TYPE,
        XenbusProperties.ID, XenbusProperties.NODENAME, XenbusProperties.OTHEREND, XenbusProperties.OTHEREND_ID,
        XenbusProperties.STATE, XenbusProperties.OTHEREND_STATE};

    private final BundleContext context;
    private final EventAdmin events;
    private final Map<Long, Map<String, Object>> known = new HashMap<>(); // by service.id, under this

    /** Listens to the device services and announces those already there. */
    @Activate
    public DeviceEventPublisher(BundleContext context, @Reference EventAdmin events) throws InvalidSyntaxException {
        this.context = context;
        this.events = events;
        String filter = "(" + Constants.OBJECTCLASS + "=" + XenbusDevice.class.getName() + ")";
        context.addServiceListener(this, filter);
        ServiceReference<?>[] present = context.getAllServiceReferences(XenbusDevice.class.getName(), null);
        for (ServiceReference<?> r : present == null ? new ServiceReference<?>[0] : present) {
            serviceChanged(new ServiceEvent(ServiceEvent.REGISTERED, r));
        }
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        ServiceReference<?> ref = event.getServiceReference();
        Long id = (Long) ref.getProperty(Constants.SERVICE_ID);
        Map<String, Object> now = properties(ref);
        Event e;
        synchronized (this) {
            switch (event.getType()) {
                case ServiceEvent.REGISTERED:
                    e = known.putIfAbsent(id, now) == null ? new Event(XenbusDeviceEvents.ADDED, now) : null;
                    break;
                case ServiceEvent.MODIFIED:
                    e = stateChanged(known.put(id, now), now);
                    break;
                case ServiceEvent.UNREGISTERING:
                    e = known.remove(id) != null ? new Event(XenbusDeviceEvents.REMOVED, now) : null;
                    break;
                default:
                    e = null;
            }
        }
        if (e != null) {
            events.postEvent(e);
        }
    }

    private static Event stateChanged(Map<String, Object> before, Map<String, Object> now) {
        if (before == null) {
            return new Event(XenbusDeviceEvents.ADDED, now); // modified before we saw it registered
        }
        Object state = before.get(XenbusProperties.STATE);
        Object otherendState = before.get(XenbusProperties.OTHEREND_STATE);
        if (Objects.equals(state, now.get(XenbusProperties.STATE))
                && Objects.equals(otherendState, now.get(XenbusProperties.OTHEREND_STATE))) {
            return null;
        }
        Map<String, Object> p = new HashMap<>(now);
        p.put(XenbusProperties.PREVIOUS_STATE, state);
        p.put(XenbusProperties.PREVIOUS_OTHEREND_STATE, otherendState);
        return new Event(XenbusDeviceEvents.STATE_CHANGED, p);
    }

    private static Map<String, Object> properties(ServiceReference<?> ref) {
        Map<String, Object> p = new HashMap<>();
        for (String key : EVENT_PROPERTIES) {
            Object v = ref.getProperty(key);
            if (v != null) {
                p.put(key, v);
            }
        }
        return p;
    }

    @Deactivate
    void deactivate() {
        context.removeServiceListener(this);
    }
}
