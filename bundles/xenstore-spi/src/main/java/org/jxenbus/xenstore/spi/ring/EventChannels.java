package org.jxenbus.xenstore.spi.ring;

import java.io.IOException;
import java.util.function.IntConsumer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An event-channel device, as {@code /dev/xen/evtchn} is one: ports bound through it, kicks sent on them,
 * and one place to wait for any of them. A kick only means "look at the ring": the ring protocol is
 * level-based, so a lost or spurious kick costs at most a timeout, never data.
 *
 * <p>One thread (the owner of the rings behind it) calls {@link #await}; any thread may call
 * {@link #notify(int)}, {@link #wakeup()} and {@link #close()}.
 */
@ConsumerType
public interface EventChannels extends AutoCloseable {

    /**
     * Binds a local port to {@code remotePort} of domain {@code domid}.
     *
     * @return the local port
     * @throws IOException if the device refuses (no such domain, port in use ...)
     */
    int bindInterdomain(int domid, int remotePort) throws IOException;

    /**
     * Allocates a local port that domain {@code domid} may bind to (it learns the port from us).
     *
     * @return the local port
     * @throws IOException if the device refuses
     */
    int bindUnbound(int domid) throws IOException;

    /** Closes a port bound through this device; unknown ports are ignored. */
    void unbind(int port);

    /**
     * Kicks the peer of local {@code port}. Never blocks: a kick the peer cannot take now is dropped (the peer
     * looks at the ring when it next wakes).
     *
     * @throws IOException if the device failed or the port is not bound here
     */
    void notify(int port) throws IOException;

    /**
     * Waits until a bound port is kicked, {@link #wakeup()} is called, or {@code timeoutNanos} passes. Each
     * pending port is handed to {@code pending} (and re-enabled) before returning.
     *
     * @return how many ports were pending; 0 after a timeout or a wake-up
     * @throws IOException if the device failed
     */
    int await(long timeoutNanos, IntConsumer pending) throws IOException;

    /** Makes a concurrent or the next {@link #await} return without waiting. Cheap; any thread. */
    void wakeup();

    /** Unbinds every port and releases the device; an {@link #await} in progress returns. Idempotent. */
    @Override
    void close();
}
