package org.jxenbus.transport.ring.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * Kicks sent and received over a ring, and the wake-ups by timeout that found work a kick should have
 * announced (a lost-kick bug if ever non-zero). Thread-safe.
 */
final class KickCounters {
    final LongAdder kicksSent = new LongAdder();
    final LongAdder kicksReceived = new LongAdder();
    final LongAdder timeoutsWithWork = new LongAdder();

    java.util.Map<String, Long> asMap() {
        return java.util.Map.of("kicksSent", kicksSent.sum(), "kicksReceived", kicksReceived.sum(), "timeoutsWithWork",
                timeoutsWithWork.sum());
    }

    @Override
    public String toString() {
        return "kicks sent " + kicksSent.sum() + ", received " + kicksReceived.sum() + ", timeouts that found work "
                + timeoutsWithWork.sum();
    }
}
