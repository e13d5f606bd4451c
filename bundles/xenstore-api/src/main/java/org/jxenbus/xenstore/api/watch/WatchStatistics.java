package org.jxenbus.xenstore.api.watch;

/**
 * A snapshot of a watch service's counters.
 *
 * @param serverWatches server watches set now (one per watched path and depth)
 * @param listeners listeners registered now
 * @param eventsReceived watch events from the server
 * @param eventsDelivered callbacks made ({@code changed} calls)
 * @param eventsCoalesced events merged into one already queued for the same path and listener
 * @param overflows times a listener's queue overflowed and was emptied
 * @param eventsAfterClose events that arrived for a closed listener and were dropped
 * @param dispatchWaits times a listener's events waited because every dispatch thread was busy
 * @param blockedListeners listeners whose callback has run longer than the blocked threshold, now
 */
public record WatchStatistics(int serverWatches, int listeners, long eventsReceived, long eventsDelivered,
        long eventsCoalesced, long overflows, long eventsAfterClose, long dispatchWaits, int blockedListeners) {
}
