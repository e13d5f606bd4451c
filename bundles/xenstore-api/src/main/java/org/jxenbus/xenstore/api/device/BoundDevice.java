package org.jxenbus.xenstore.api.device;

import java.util.Map;
import java.util.Optional;

import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.api.watch.Watch;
import org.jxenbus.xenstore.api.watch.WatchListener;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A device bound to a {@link XenbusDriver}: the driver's view, with the helpers of Linux's {@code xenbus_client.c}.
 * Every write checks, in the same transaction, that the device's {@code state} node still exists, so a device
 * the toolstack removed is never recreated by a late driver.
 *
 * <p><b>Threads:</b> thread-safe. The helpers block on xenstore (call them from driver callbacks or the driver's
 * own threads, never from a watch dispatch thread of a listener that the same driver waits on). Besides the
 * errors named, they may throw any {@link org.jxenbus.xenstore.api.XenstoreException}.
 */
@ProviderType
public interface BoundDevice extends XenbusDevice {

    /**
     * The other end's state as the driver was told it: at its {@link XenbusDriver#probe probe}, then by each
     * {@link XenbusDriver#otherendChanged otherendChanged}; so the driver's view changes only between its callbacks.
     * ({@link #state()} is this end's state as the probe last read it.)
     */
    @Override
    XenbusState otherendState();

    /**
     * Moves this end to {@code state} ({@code xenbus_switch_state}): in a transaction, reads {@code state} first;
     * if the node is gone nothing is written (the device is not resurrected); if it already holds {@code state}
     * nothing is written either. A conflicting change (EAGAIN) reruns the transaction.
     *
     * @return true if the device's state is now {@code state}; false if the device is gone
     * @throws org.jxenbus.xenstore.api.ConflictException if every rerun conflicted
     */
    boolean switchState(XenbusState state);

    /**
     * Writes {@code values} (keys relative to the nodename, e.g. {@code ring-ref}) in one transaction, only if the
     * device's {@code state} node still exists. EAGAIN reruns it.
     *
     * @return true if written; false if the device is gone (nothing written)
     * @throws org.jxenbus.xenstore.api.ConflictException if every rerun conflicted
     */
    boolean publish(Map<String, String> values);

    /** Reads this end's {@code <nodename>/<key>}; empty if it does not exist or may not be read. */
    Optional<String> read(String key);

    /** Reads the other end's {@code <otherend>/<key>} (its features, ring references ...); empty if absent or unreadable. */
    Optional<String> readOtherend(String key);

    /**
     * Reports an error as Linux's {@code xenbus_dev_error} does: writes {@code "<errno> <message>"} to
     * {@code error/<nodename>/error} (relative to the domain's home) and logs it. The state is left alone.
     *
     * @param errno the positive error number, e.g. 12 for ENOMEM
     */
    void error(int errno, String message);

    /**
     * Reports a fatal error as Linux's {@code xenbus_dev_fatal} does: {@link #error} and then
     * {@link #switchState switchState(CLOSING)}.
     */
    void fatal(int errno, String message);

    /**
     * Watches {@code <nodename>/<key>} ({@code key} empty: the device's node) and its subtree. The listener's
     * events are delivered like the driver's other callbacks for this device (on the probe's pool, one at a time,
     * in order with them); the path given is as the watch service reports it, relative like the nodename. The
     * watch is closed when the device goes or the driver does.
     */
    Watch watch(String key, WatchListener listener);

    /** As {@link #watch}, for {@code <otherend>/<key>} (an absolute path). */
    Watch watchOtherend(String key, WatchListener listener);
}
