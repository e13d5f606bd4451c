package org.jxenbus.guest.agent;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What the guest knows about itself, in the form the agent publishes. The agent calls each method once per
 * refresh, from its one refresh thread; implementations need not be thread-safe beyond that, and may block
 * briefly (they read files).
 *
 * <p>A method that cannot tell throws {@link java.io.UncheckedIOException} (or another runtime exception): the
 * agent logs it and keeps that part of what it published before, unchanged; the other parts are still
 * refreshed.
 *
 * <p>In OSGi, register a {@code GuestFacts} service: the agent takes the highest-ranked one. The bundle's own
 * Linux implementation is registered with {@code service.ranking} -100, so any other guest's implementation
 * with the default ranking replaces it.
 */
@ConsumerType
public interface GuestFacts {

    /** The operating system: distribution, version, name and kernel release. */
    OsFacts os();

    /** Total and available memory, in KiB. */
    MemoryFacts memory();

    /**
     * The network interfaces with a hardware address, with their addresses. The agent matches them to the
     * domain's vif devices by MAC address; interfaces that match none are not published.
     */
    List<InterfaceFacts> interfaces();
}
