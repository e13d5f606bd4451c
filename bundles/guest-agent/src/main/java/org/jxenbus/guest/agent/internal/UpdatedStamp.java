package org.jxenbus.guest.agent.internal;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The value of {@code data/updated}: xe-daemon.go writes {@code time.Now().Format("Mon Jan _2 15:04:05 2006")},
 * Go's layout for the C {@code asctime} form in local time, the day padded with a space
 * ({@code Mon Jan  2 15:04:05 2006}).
 */
final class UpdatedStamp {

    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
            Locale.US);

    private UpdatedStamp() {
    }

    static String now(Clock clock) {
        return ASCTIME.format(ZonedDateTime.now(clock));
    }
}
