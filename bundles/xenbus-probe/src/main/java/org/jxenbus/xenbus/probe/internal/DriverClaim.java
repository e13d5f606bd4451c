package org.jxenbus.xenbus.probe.internal;

import java.util.Objects;
import java.util.Set;

import org.jxenbus.xenstore.api.device.XenbusDriver;

/** One driver's claim of device types on a bus, from {@link DeviceBus#claim}. Thread-safe. */
public final class DriverClaim implements AutoCloseable {

    private final XenbusDriver driver;
    private final Set<String> types;
    private final Runnable release;
    private volatile boolean active = true;

    DriverClaim(XenbusDriver driver, Set<String> types, java.util.function.Consumer<DriverClaim> release) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.types = Set.copyOf(types);
        this.release = () -> release.accept(this);
    }

    /** The driver. */
    public XenbusDriver driver() {
        return driver;
    }

    /** The types claimed. */
    public Set<String> types() {
        return types;
    }

    /** Whether the claim still holds. */
    public boolean active() {
        return active;
    }

    /**
     * Releases the claim: no callback of the driver starts after this returns (one running finishes), and
     * {@link XenbusDriver#remove} is not called. Idempotent; any thread, driver callbacks included.
     */
    @Override
    public void close() {
        if (active) {
            active = false;
            release.run();
        }
    }

    @Override
    public String toString() {
        return driver + " claiming " + types;
    }
}
