package org.jxenbus.xenstore.api.device;

import org.jxenbus.xenstore.api.XenbusState;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A Xen device as the device probe sees it: registered as an OSGi service (with the properties of
 * {@link XenbusProperties}) for every device present on an enabled bus, whatever its state, updated as the
 * states change and unregistered when its node goes. Management bundles get an inventory from it without
 * touching any device: it only reports.
 *
 * <p><b>Threads:</b> thread-safe; every method returns what the probe last read, without blocking.
 */
@ProviderType
public interface XenbusDevice {

    /** The bus the device is on. */
    XenbusBus bus();

    /** The device type, e.g. {@code vif}. */
    String type();

    /** The device id, the last component of the nodename, e.g. {@code 0}. */
    String id();

    /**
     * The device's node relative to the connection's domain home, e.g. {@code device/vif/0} or
     * {@code backend/vif/5/0} (Linux's {@code nodename}).
     */
    String nodename();

    /** The other end's path, as the device's {@code backend} or {@code frontend} node names it. */
    String otherend();

    /** The other end's domain. */
    int otherendId();

    /** This end's state, from {@code <nodename>/state} ({@link XenbusState#UNKNOWN} if unreadable). */
    XenbusState state();

    /** The other end's state, from {@code <otherend>/state} ({@link XenbusState#UNKNOWN} if unreadable). */
    XenbusState otherendState();
}
