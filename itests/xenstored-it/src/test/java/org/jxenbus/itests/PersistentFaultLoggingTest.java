package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.testsupport.TestSize;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fault that repeats for minutes (every reply duplicated, so each duplicate matches no request) is
 * counted every time but logged at most once per 10 s: the log stays bounded while the counters tell all.
 * Duration: 20 s in CI, 5 minutes with -Djxenbus.full=true.
 */
@Tag("socket-only") // through the reordering proxy, which speaks to a socket
@ExtendWith(XenstoredExtension.class)
class PersistentFaultLoggingTest {

    @Test
    void aPersistentFaultIsCountedEveryTimeButLoggedRarely(FakeXenHost host) throws Exception {
        int seconds = TestSize.pick(20, 300);
        Logger jul = Logger.getLogger("org.jxenbus.xenstore.core.internal.Multiplexer");
        AtomicLong lines = new AtomicLong();
        Handler counter = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    lines.incrementAndGet();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(counter);
        try (ReorderingProxy proxy = ReorderingProxy.start(host); XenstoreConnection xs = Xenstore.open(proxy.uri())) {
            xs.write("/pf/k", "v");
            proxy.duplicateEveryNthReply(1);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long requests = 0;
            while (System.nanoTime() < end) {
                assertEquals("v", xs.read("/pf/k"));
                requests++;
            }
            proxy.duplicateEveryNthReply(0);
            xs.read("/pf/k");
            long duplicates = proxy.duplicatedReplies();
            TimeoutCompensationTest.awaitStat(() -> xs.statistics().unknownReplies() == duplicates, xs);
            long maxLines = seconds / 10 + 1;
            System.out.printf("persistent fault for %d s: %d requests, %d faults counted, %d log lines (bound %d)%n",
                    seconds, requests, xs.statistics().unknownReplies(), lines.get(), maxLines);
            assertTrue(duplicates > 1000, "the fault really repeated: " + duplicates);
            assertTrue(lines.get() >= 1 && lines.get() <= maxLines, "log lines " + lines.get() + " > " + maxLines);
            assertTrue(xs.statistics().logLinesWritten() <= maxLines);
        } finally {
            jul.removeHandler(counter);
        }
    }
}
