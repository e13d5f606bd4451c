package org.jxenbus.guest.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class UpdatedStampTest {

    @Test
    void goReferenceLayoutOfXeDaemonWithTheDayPaddedBySpace() {
        // xe-daemon/xe-daemon.go:154 (xenserver/xe-guest-utilities@244c56f):
        // time.Now().Format("Mon Jan _2 15:04:05 2006"), "_2" being the space-padded day.
        Clock reference = Clock.fixed(Instant.parse("2006-01-02T15:04:05Z"), ZoneOffset.UTC);
        assertEquals("Mon Jan  2 15:04:05 2006", UpdatedStamp.now(reference));
        Clock later = Clock.fixed(Instant.parse("2026-11-26T08:09:10Z"), ZoneOffset.UTC);
        assertEquals("Thu Nov 26 08:09:10 2026", UpdatedStamp.now(later));
    }

    @Test
    void localTimeAsGoTimeNowIs() {
        Clock paris = Clock.fixed(Instant.parse("2006-01-02T15:04:05Z"), ZoneId.of("Europe/Paris"));
        assertEquals("Mon Jan  2 16:04:05 2006", UpdatedStamp.now(paris));
    }
}
