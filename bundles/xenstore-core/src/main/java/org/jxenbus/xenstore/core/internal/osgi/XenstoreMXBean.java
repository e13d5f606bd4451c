package org.jxenbus.xenstore.core.internal.osgi;

import java.util.Map;

/**
 * The runtime's shared xenstore connection over JMX, as {@value #OBJECT_NAME}: what it is connected to,
 * requests by type, errors by name, timeouts, latency percentiles, transport swaps and the connection's
 * counters. Read-only. Public only for JMX; the package is not exported.
 */
public interface XenstoreMXBean {

    /** Where it is registered. */
    String OBJECT_NAME = "org.jxenbus:type=Xenstore,name=shared";

    String getStore();

    String getTransport();

    boolean isSimulated();

    long getTransportSwaps();

    int getInFlight();

    int getQueued();

    long getRequestsSent();

    long getRepliesMatched();

    long getUnknownReplies();

    long getWatchEvents();

    long getLateReplies();

    long getCompensations();

    long getIoFaults();

    Map<String, Long> getRequestsByType();

    Map<String, Long> getErrorsByName();

    long getTimeouts();

    long getOutcomeUnknown();

    long getLatencyP50Micros();

    long getLatencyP90Micros();

    long getLatencyP99Micros();

    long getLatencyMaxMicros();

    Map<String, Long> getTransportCounters();
}
