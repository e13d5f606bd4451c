package org.jxenbus.xenstore.api.device;

import org.jxenbus.xenstore.api.XenbusState;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A driver of one or more device types on one bus, registered as a whiteboard service with the properties
 * {@link XenbusProperties#BUS} ({@code frontend} or {@code backend}) and {@link XenbusProperties#TYPE} (a type or
 * an array of types): an explicit claim. One driver at a time drives a type on a bus; a later claim waits until
 * the earlier driver goes. A claim on a type the kernel drives in this domain (by default {@code vif} and
 * {@code vbd}, and on the frontend bus also {@code console}, {@code vkbd} and {@code vfb}) is refused with one
 * log line unless the probe's configuration allows it.
 *
 * <p><b>The offer rule.</b> A driver is offered each device of its types once, by {@link #probe}: when the device
 * appears, or, for devices that already exist, when the driver arrives. As in Linux, a device in
 * {@link XenbusState#INITIALISING} is new and the driver starts the handshake. A device found in any later state
 * (it was there before the probe or the driver started, or the connection was re-established) is offered with its
 * current states, {@link BoundDevice#state()} and {@link BoundDevice#otherendState()}, and the driver decides:
 * adopt it (e.g. a Connected device whose ring it can map again), leave it, or fail it.
 *
 * <p><b>Threads.</b> Callbacks run on the probe's own bounded pool, never on a watch dispatch thread nor the
 * connection's I/O thread, so they may block on xenstore. For one device they run one at a time, in order: probe,
 * then other-end state changes and the device's own watches ({@link BoundDevice#watch}), then remove. Other
 * devices' callbacks run meanwhile on other pool threads. A callback that throws is logged; if {@link #probe}
 * throws, the device is not bound to this driver and gets no further callbacks. When the driver's service goes,
 * no callback starts for it afterwards (one running finishes) and {@link #remove} is not called: the driver
 * cleans up in its own deactivation.
 */
@ConsumerType
public interface XenbusDriver {

    /** Offered a device of a claimed type; see the offer rule above. */
    void probe(BoundDevice device);

    /**
     * The other end's state changed to {@code state}. Changes that happen faster than they are delivered
     * coalesce: {@code state} is the latest one read, and is never the same as the previous call's (or the one at
     * probe time). Drivers must tolerate skipped states, as Linux's do. Once the device's node is gone, no more of
     * these come: {@link #remove} does.
     */
    void otherendChanged(BoundDevice device, XenbusState state);

    /**
     * The device's node went (the toolstack removed it). Called once, after every other callback for the device,
     * and only if {@link #probe} returned normally. The device's watches are already closed.
     */
    void remove(BoundDevice device);
}
