package org.jxenbus.transport.ring.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * Kicks sent and received over a ring; the wake-ups by timeout that found work a kick should have announced
 * (a kick to us was lost: 0 unless kicks are lost on the way); and kicks sent again because requests stayed
 * unconsumed after a wait timed out (the server may have missed ours, or simply be busy or over its quota).
 * Thread-safe.
 */
final class KickCounters {
    final LongAdder kicksSent = new LongAdder();
    final LongAdder kicksReceived = new LongAdder();
    final LongAdder timeoutsWithWork = new LongAdder();
    final LongAdder kicksRepeated = new LongAdder();

    java.util.Map<String, Long> asMap() {
        return java.util.Map.of("kicksSent", kicksSent.sum(), "kicksReceived", kicksReceived.sum(), "timeoutsWithWork",
                timeoutsWithWork.sum(), "kicksRepeated", kicksRepeated.sum());
    }

    @Override
    public String toString() {
        return "kicks sent " + kicksSent.sum() + ", received " + kicksReceived.sum() + ", timeouts that found work "
                + timeoutsWithWork.sum() + ", kicks sent again " + kicksRepeated.sum();
    }
}
