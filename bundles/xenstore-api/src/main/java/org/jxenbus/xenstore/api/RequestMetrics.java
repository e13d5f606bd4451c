package org.jxenbus.xenstore.api;

import java.util.Map;

/**
 * What a connection's callers asked and got, since it opened: for monitoring (the runtime's MBean, the shell's
 * {@code xs:stat}). Latencies run from submission to completion (queueing included) of requests that got an
 * answer, success or server error; percentiles are accurate to about 12 %.
 *
 * @param requestsByType requests submitted, by message type name ({@code READ}, {@code WRITE} ...)
 * @param errorsByName requests that ended with a server error, by its raw name ({@code ENOENT}, {@code EAGAIN} ...)
 * @param timeouts requests that ran out of time (with or without a known outcome)
 * @param outcomeUnknown written requests whose outcome is unknown (timed out, cancelled, interrupted, connection lost)
 * @param answered requests that got a reply (success or server error): the latency sample
 * @param latencyP50Micros median latency in microseconds (0 without samples)
 * @param latencyP90Micros 90th percentile latency in microseconds
 * @param latencyP99Micros 99th percentile latency in microseconds
 * @param latencyMaxMicros largest latency in microseconds
 */
public record RequestMetrics(Map<String, Long> requestsByType, Map<String, Long> errorsByName, long timeouts,
        long outcomeUnknown, long answered, long latencyP50Micros, long latencyP90Micros, long latencyP99Micros,
        long latencyMaxMicros) {

    /** Copies the maps. */
    public RequestMetrics {
        requestsByType = Map.copyOf(requestsByType);
        errorsByName = Map.copyOf(errorsByName);
    }
}
