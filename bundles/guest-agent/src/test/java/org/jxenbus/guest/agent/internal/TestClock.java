package org.jxenbus.guest.agent.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves by hand, in UTC; starts at Go's reference time. Thread-safe. */
final class TestClock extends Clock {

    static final String REFERENCE_STAMP = "Mon Jan  2 15:04:05 2006";

    private volatile Instant now = Instant.parse("2006-01-02T15:04:05Z");

    void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
        return now;
    }
}
