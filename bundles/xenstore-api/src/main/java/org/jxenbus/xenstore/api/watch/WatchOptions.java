package org.jxenbus.xenstore.api.watch;

import java.time.Duration;
import java.util.Objects;

/**
 * How a watch service dispatches. Immutable.
 *
 * @param dispatchThreads dispatch threads at most (default 4): as many listeners may block at once without
 *        delaying the others
 * @param queueCapacity distinct pending paths per listener before it overflows (default 1024)
 * @param blockedThreshold how long a callback may run before it counts as blocked and is warned about
 *        (default 5 s)
 */
public record WatchOptions(int dispatchThreads, int queueCapacity, Duration blockedThreshold) {

    /** The defaults named above. */
    public static WatchOptions defaults() {
        return new WatchOptions(4, 1024, Duration.ofSeconds(5));
    }

    /** Checks the values. */
    public WatchOptions {
        if (dispatchThreads < 1) {
            throw new IllegalArgumentException("dispatchThreads must be positive: " + dispatchThreads);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be positive: " + queueCapacity);
        }
        Objects.requireNonNull(blockedThreshold, "blockedThreshold");
        if (blockedThreshold.isNegative() || blockedThreshold.isZero()) {
            throw new IllegalArgumentException("blockedThreshold must be positive: " + blockedThreshold);
        }
    }
}
