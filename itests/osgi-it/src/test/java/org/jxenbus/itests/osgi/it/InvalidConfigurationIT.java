package org.jxenbus.itests.osgi.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.XenstoreStatus;
import org.jxenbus.xenstore.api.watch.WatchService;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

/**
 * Invalid configuration of PID {@code org.jxenbus.xenstore}: no XenstoreService (nor XenstoreStatus, nor the
 * WatchService built on it), and exactly one log line at WARNING or above from our bundles, an ERROR naming the
 * PID, the property and the value; fixing the configuration brings the service back. Both ways in: the first
 * configuration invalid, and a valid one updated to an invalid one (the service is withdrawn).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class InvalidConfigurationIT extends FelixContainer {

    /** How long the service must stay away after the error line. */
    private static final long STAYS_AWAY_MILLIS = 1_000;

    @Test
    public void invalidConfigurationIsOneClearErrorLineAndNoServiceUntilFixed() throws Exception {
        String socket = property(SOCKET);
        try (LogLines log = new LogLines("org.jxenbus")) {
            configureStore(Map.of("uri", socket, "requestTimeoutMillis", -5L));
            assertOneErrorAndNoService(log, "requestTimeoutMillis", "-5");

            log.clear();
            configureStore(Map.of("uri", socket, "requestTimeoutMillis", 10_000L));
            roundTrip(awaitService(XenstoreService.class), "/it/config/fixed-once");
            assertEquals("nothing to warn about once fixed", List.of(), log.warningsAndWorse());

            log.clear();
            configureStore(Map.of("uri", "/tmp/a/socket/without/scheme", "requestTimeoutMillis", 10_000L));
            await("XenstoreService withdrawn", WAIT_MILLIS,
                    () -> context().getServiceReference(XenstoreService.class) == null);
            assertOneErrorAndNoService(log, "uri", "/tmp/a/socket/without/scheme");

            log.clear();
            configureStore(Map.of("uri", socket, "requestTimeoutMillis", 10_000L));
            roundTrip(awaitService(XenstoreService.class), "/it/config/fixed-twice");
            assertEquals("nothing to warn about once fixed", List.of(), log.warningsAndWorse());
        }
    }

    private void assertOneErrorAndNoService(LogLines log, String property, String value) throws Exception {
        await("an ERROR about the configuration", WAIT_MILLIS, () -> !log.warningsAndWorse().isEmpty());
        Thread.sleep(STAYS_AWAY_MILLIS);
        assertNull("no XenstoreService", context().getServiceReference(XenstoreService.class));
        assertNull("no XenstoreStatus", context().getServiceReference(XenstoreStatus.class));
        assertNull("no WatchService", context().getServiceReference(WatchService.class));
        List<LogRecord> lines = log.warningsAndWorse();
        assertEquals("exactly one line at WARNING or above: " + LogLines.text(lines), 1, lines.size());
        LogRecord line = lines.get(0);
        assertEquals("an ERROR: " + line.getMessage(), Level.SEVERE, line.getLevel());
        for (String named : List.of(STORE_PID, "invalid", property, value)) {
            assertTrue("the line names " + named + ": " + line.getMessage(), line.getMessage().contains(named));
        }
        System.out.println("invalid " + property + "=" + value + ": one line: " + line.getMessage());
    }

    private static void roundTrip(XenstoreService xs, String path) {
        xs.write(path, "ok");
        assertEquals("ok", xs.read(path));
    }

    /**
     * What our bundles log through System.Logger, which goes to java.util.logging here (Pax Exam's
     * pax-logging-api bridges it, and records still reach handlers of our loggers' parents).
     */
    private static final class LogLines extends Handler implements AutoCloseable {

        private final Logger logger;
        private final List<LogRecord> records = new ArrayList<>();

        LogLines(String name) {
            this.logger = Logger.getLogger(name);
            setLevel(Level.ALL);
            logger.addHandler(this);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            records.add(record);
        }

        synchronized List<LogRecord> warningsAndWorse() {
            return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        }

        synchronized void clear() {
            records.clear();
        }

        static List<String> text(List<LogRecord> lines) {
            return lines.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()).toList();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
