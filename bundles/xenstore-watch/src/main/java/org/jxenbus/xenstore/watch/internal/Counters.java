package org.jxenbus.xenstore.watch.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** A watch service's counters and rate-limited warnings. Thread-safe. */
final class Counters {

    private static final Logger LOG = System.getLogger(SharedWatchService.class.getName());

    final LongAdder received = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder coalesced = new LongAdder();
    final LongAdder overflows = new LongAdder();
    final LongAdder afterClose = new LongAdder();
    final LongAdder dispatchWaits = new LongAdder();
    final Warning listenerFailures = new Warning();
    final Warning blocked = new Warning();

    /** One warning kind: at most one line per 10 s, with the number suppressed. */
    static final class Warning {
        private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
        private final AtomicLong suppressed = new AtomicLong();

        void log(String message, Throwable cause) {
            long now = System.nanoTime();
            long at = nextAt.get();
            if ((at == Long.MIN_VALUE || now - at >= 0) && nextAt.compareAndSet(at, now + TimeUnit.SECONDS.toNanos(10))) {
                long skipped = suppressed.getAndSet(0);
                String line = skipped == 0 ? message : message + " (" + skipped + " similar suppressed)";
                if (cause == null) {
                    LOG.log(Level.WARNING, line);
                } else {
                    LOG.log(Level.WARNING, line, cause);
                }
            } else {
                suppressed.incrementAndGet();
            }
        }
    }
}
