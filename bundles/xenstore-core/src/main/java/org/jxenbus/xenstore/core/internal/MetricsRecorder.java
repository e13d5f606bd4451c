package org.jxenbus.xenstore.core.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.jxenbus.xenstore.api.OutcomeUnknownException;
import org.jxenbus.xenstore.api.RequestMetrics;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.api.XenstoreTimeoutException;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * Counts callers' requests by type and how they ended; records answered requests' latency. Told of each
 * request at submission and once at its completion (on the completing thread: LongAdders and one
 * histogram increment). Thread-safe.
 */
final class MetricsRecorder {

    private final Map<XsMessageType, LongAdder> byType = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder outcomeUnknown = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();

    /** Counts a caller's request by type, at submission. */
    void count(PendingRequest r) {
        byType.computeIfAbsent(r.type, t -> new LongAdder()).increment();
    }

    /** Records how a request submitted at {@code submittedNanos} ended: {@code failure} null if answered. */
    void completed(long submittedNanos, Throwable failure) {
        Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (t == null) {
            latency.record(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - submittedNanos));
            return;
        }
        if (t instanceof OutcomeUnknownException u) {
            outcomeUnknown.increment();
            if (u.reason() == OutcomeUnknownException.Reason.TIMEOUT) {
                timeouts.increment();
            }
        } else if (t instanceof XenstoreTimeoutException) {
            timeouts.increment();
        } else if (t instanceof XenstoreException x && x.errorName() != null) {
            errors.computeIfAbsent(x.errorName(), n -> new LongAdder()).increment();
            latency.record(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - submittedNanos));
        }
    }

    RequestMetrics snapshot() {
        Map<String, Long> types = new TreeMap<>();
        byType.forEach((k, v) -> types.put(k.name().substring(3), v.sum()));
        Map<String, Long> errs = new TreeMap<>();
        errors.forEach((k, v) -> errs.put(k, v.sum()));
        return new RequestMetrics(types, errs, timeouts.sum(), outcomeUnknown.sum(), latency.count(),
                latency.percentile(0.50), latency.percentile(0.90), latency.percentile(0.99), latency.max());
    }
}
