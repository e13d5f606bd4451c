package org.jxenbus.xenstore.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a runtime's shared xenstore connection is connected to and how it is doing, for monitoring (the
 * shell's {@code xs:stat}, the MBean). Registered next to {@link XenstoreService} in OSGi. Thread-safe;
 * every call returns a fresh snapshot.
 */
@ProviderType
public interface XenstoreStatus {

    /** The store, as configured or discovered: a URI such as {@code unix:/var/run/xenstored/socket}. */
    String store();

    /** The transport in use now ({@code unix}, {@code xenbus}, {@code ring}, {@code sim}), or empty if none. */
    String transport();

    /** Whether the store is the embedded simulator rather than a real xenstore. */
    boolean simulated();

    /** How many times the transport was replaced (lost and reopened, or switched by configuration). */
    long transportSwaps();

    /** The connection's counters. */
    ConnectionStatistics statistics();

    /** Requests by type, errors by name, timeouts and latency percentiles. */
    RequestMetrics metrics();
}
