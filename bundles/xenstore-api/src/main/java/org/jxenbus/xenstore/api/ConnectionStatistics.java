package org.jxenbus.xenstore.api;

/**
 * A snapshot of a connection's counters.
 *
 * @param requestsSent requests fully handed to the transport
 * @param repliesMatched replies matched to a waiting request
 * @param unknownReplies replies whose request id matched nothing (counted, logged rate-limited)
 * @param watchEvents watch events delivered to a listener
 * @param unknownWatchEvents watch events for a token no listener holds
 * @param inFlight requests written and not yet answered, now
 * @param queued requests waiting for the in-flight window, now
 * @param maxInFlight the in-flight window
 * @param lateReplies replies that arrived after their caller gave up (timeout, cancel, interrupt); discarded
 * @param compensations requests sent to undo what a late reply left open on the server (a transaction
 *        aborted, a watch removed)
 * @param ioFaults failures while handling one message (allocation failure, a bug) survived without losing
 *        stream synchronisation
 * @param logLinesWritten warning lines written about repeating faults (each kind at most one line per
 *        interval)
 * @param transportCounters the transport's own counters by name (over a ring: {@code kicksSent},
 *        {@code kicksReceived}, {@code timeoutsWithWork}, {@code kicksRepeated}), possibly empty
 */
public record ConnectionStatistics(long requestsSent, long repliesMatched, long unknownReplies,
        long watchEvents, long unknownWatchEvents, int inFlight, int queued, int maxInFlight, long lateReplies,
        long compensations, long ioFaults, long logLinesWritten, java.util.Map<String, Long> transportCounters) {

    /** Copies the map. */
    public ConnectionStatistics {
        transportCounters = java.util.Map.copyOf(transportCounters);
    }
}
