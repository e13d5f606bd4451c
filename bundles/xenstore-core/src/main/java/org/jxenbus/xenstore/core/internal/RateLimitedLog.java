package org.jxenbus.xenstore.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One log line per interval for a fault that may repeat (an unknown reply id, a throwing listener), with
 * the number of occurrences suppressed since the last line. Every occurrence is still counted. Thread-safe.
 */
final class RateLimitedLog {

    private final Logger logger;
    private final Level level;
    private final long intervalNanos;
    private final AtomicLong occurrences = new AtomicLong();
    private final AtomicLong nextLineAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();
    private final AtomicLong linesWritten = new AtomicLong();

    RateLimitedLog(Logger logger, Level level, long intervalNanos) {
        this.logger = logger;
        this.level = level;
        this.intervalNanos = intervalNanos;
    }

    /** Counts one occurrence and logs it unless a line was written less than one interval ago. */
    void log(String message, Throwable cause) {
        occurrences.incrementAndGet();
        long now = System.nanoTime();
        long at = nextLineAt.get();
        if ((at == Long.MIN_VALUE || now - at >= 0) && nextLineAt.compareAndSet(at, now + intervalNanos)) {
            long skipped = suppressed.getAndSet(0);
            linesWritten.incrementAndGet();
            String line = skipped == 0 ? message : message + " (" + skipped + " similar suppressed)";
            if (cause == null) {
                logger.log(level, line);
            } else {
                logger.log(level, line, cause);
            }
        } else {
            suppressed.incrementAndGet();
        }
    }

    /** How many occurrences were counted. */
    long occurrences() {
        return occurrences.get();
    }

    /** How many lines were written. */
    long linesWritten() {
        return linesWritten.get();
    }
}
