package org.jxenbus.xenstore.api.device;

/**
 * The service properties of {@link XenbusDevice} services (a fixed contract) and of {@link XenbusDriver} services
 * (the claim), and the properties of the device events ({@link XenbusDeviceEvents}).
 *
 * <p>A device service carries every property below but {@link #PREVIOUS_STATE} and
 * {@link #PREVIOUS_OTHEREND_STATE}; they are updated (service MODIFIED) whenever a state changes. Paths are as
 * xenstore knows them: a device's {@link #NODENAME} is relative to the home of the domain the store connection
 * belongs to ({@code /local/domain/<self>}), exactly as Linux's {@code xenbus_device.nodename}; the
 * {@link #OTHEREND} is the value of the device's {@code backend} or {@code frontend} node, absolute as toolstacks
 * write it.
 */
public final class XenbusProperties {

    private XenbusProperties() {
    }

    /** String, {@code frontend} or {@code backend} ({@link XenbusBus#value()}). On drivers: the bus claimed. */
    public static final String BUS = "xenbus.bus";
    /** String, the device type such as {@code vif}, {@code vbd}, {@code qdisk}. On drivers: String or String[], the types claimed. */
    public static final String TYPE = "xenbus.type";
    /** String, the device id: the last component of the nodename, such as {@code 0} or {@code 51712}. */
    public static final String ID = "xenbus.id";
    /**
     * String, the device's node relative to the domain's home: {@code device/<type>/<id>} on the frontend bus,
     * {@code backend/<type>/<frontend-domid>/<id>} on the backend bus.
     */
    public static final String NODENAME = "xenbus.nodename";
    /** String, the other end's path, as the device's {@code backend}/{@code frontend} node says (absolute). */
    public static final String OTHEREND = "xenbus.otherend";
    /** Integer, the other end's domain id, from {@code backend-id}/{@code frontend-id}. */
    public static final String OTHEREND_ID = "xenbus.otherend.id";
    /** Integer 0..8, this end's {@link org.jxenbus.xenstore.api.XenbusState#code()} (the nodename's {@code state}). */
    public static final String STATE = "xenbus.state";
    /** Integer 0..8, the other end's {@link org.jxenbus.xenstore.api.XenbusState#code()}. */
    public static final String OTHEREND_STATE = "xenbus.otherend.state";
    /** Events only: Integer, this end's state before a {@link XenbusDeviceEvents#STATE_CHANGED}. */
    public static final String PREVIOUS_STATE = "xenbus.state.previous";
    /** Events only: Integer, the other end's state before a {@link XenbusDeviceEvents#STATE_CHANGED}. */
    public static final String PREVIOUS_OTHEREND_STATE = "xenbus.otherend.state.previous";

    /** OSGi Device Access ({@code org.osgi.service.device.Constants.DEVICE_CATEGORY}): String[] {@code {"xen.<type>"}}. */
    public static final String DEVICE_CATEGORY = "DEVICE_CATEGORY";
    /** OSGi Device Access ({@code org.osgi.service.device.Constants.DEVICE_SERIAL}): String, the nodename. */
    public static final String DEVICE_SERIAL = "DEVICE_SERIAL";
    /** OSGi Device Access ({@code org.osgi.service.device.Constants.DEVICE_DESCRIPTION}): String, for people. */
    public static final String DEVICE_DESCRIPTION = "DEVICE_DESCRIPTION";
    /** The prefix of a device's category: {@code xen.} then the type, e.g. {@code xen.vif}. */
    public static final String CATEGORY_PREFIX = "xen.";
}
