package org.jxenbus.xenstore.api.device;

/**
 * The Event Admin topics of the device probe. Events are posted (asynchronously, never sent) when a device
 * service is registered, modified because a state changed, or unregistered; when Event Admin arrives after the
 * devices, each device already registered is posted {@link #ADDED} once. Their properties are the device service's
 * {@code xenbus.*} properties ({@link XenbusProperties}); {@link #STATE_CHANGED} adds
 * {@link XenbusProperties#PREVIOUS_STATE} and {@link XenbusProperties#PREVIOUS_OTHEREND_STATE}. States may
 * coalesce: a handler sees the state read when the change was processed, not necessarily every one in between.
 */
public final class XenbusDeviceEvents {

    private XenbusDeviceEvents() {
    }

    /** Every device topic, for {@code event.topics}. */
    public static final String ALL = "org/jxenbus/xenbus/device/*";
    /** A device appeared (its service was registered). */
    public static final String ADDED = "org/jxenbus/xenbus/device/ADDED";
    /** A device's own state or its other end's state changed. */
    public static final String STATE_CHANGED = "org/jxenbus/xenbus/device/STATE_CHANGED";
    /** A device's node went (its service was unregistered). */
    public static final String REMOVED = "org/jxenbus/xenbus/device/REMOVED";
}
