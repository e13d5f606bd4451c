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
 */
public record ConnectionStatistics(long requestsSent, long repliesMatched, long unknownReplies,
        long watchEvents, long unknownWatchEvents, int inFlight, int queued, int maxInFlight) {
}
