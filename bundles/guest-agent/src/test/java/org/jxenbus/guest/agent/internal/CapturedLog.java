package org.jxenbus.guest.agent.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Every record one class's logger publishes, at every level, while open (System.Logger goes to java.util.logging). */
final class CapturedLog implements AutoCloseable {

    private final Logger log;
    private final Level was;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    CapturedLog(Class<?> of) {
        log = Logger.getLogger(of.getName());
        was = log.getLevel();
        log.setLevel(Level.ALL);
        log.addHandler(capture);
    }

    /** The records at WARNING or above, as "LEVEL message". */
    List<String> warnings() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(CapturedLog::line).toList();
    }

    /** Every record, as "LEVEL message". */
    List<String> all() {
        return records.stream().map(CapturedLog::line).toList();
    }

    private static String line(LogRecord r) {
        return r.getLevel() + " " + r.getMessage();
    }

    @Override
    public void close() {
        log.removeHandler(capture);
        log.setLevel(was);
    }
}
