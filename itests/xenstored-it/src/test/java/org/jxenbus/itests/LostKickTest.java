package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kicks lost on the fake hypervisor's FIFOs (issue 13): a thief reads an event-channel FIFO next to its
 * owner, so some kicks never reach it, while 16 threads load dom0's ring. A kick only says "look at the
 * ring", so a lost one must cost time, never a request: the client waits with a timeout and looks at the
 * ring again (a kick to it lost), and kicks again when its requests stay unconsumed (a kick to the server
 * lost: xenstored would not look at the ring until some other event; without the second kick this test's
 * load stalls for good).
 */
@Tag("transport-specific") // dom0's ring of the fake hypervisor, whatever the suite's transport
@ExtendWith(XenstoredExtension.class)
class LostKickTest {

    private static final long THEFT_MILLIS = 3000;

    @Test
    void kicksToTheClientLostCostTimeNotRequests(FakeXenHost host) throws Exception {
        Map<String, Long> counters = loadWhileStealing(host, host.dir().resolve("dom0.evtchn"), "client");
        assertTrue(counters.get("timeoutsWithWork") > 0, "a wait timed out and found work a lost kick announced");
    }

    @Test
    void kicksToTheServerLostAreSentAgain(FakeXenHost host) throws Exception {
        Map<String, Long> counters = loadWhileStealing(host, host.dir().resolve("xenstored.evtchn"), "server");
        if (!FakeXenHost.simulated()) { // the simulator's ring server also looks on its own now and then
            assertTrue(counters.get("kicksRepeated") > 0, "requests left unconsumed were announced again");
        }
    }

    /** 16 threads on dom0's ring while a thief reads {@code fifo}; every call completes; the ring's counters. */
    private static Map<String, Long> loadWhileStealing(FakeXenHost host, Path fifo, String whose) throws Exception {
        try (XenstoreConnection xs = Xenstore.open(host.dom0RingUri())) {
            xs.write("/lostkick/ready", "1");
            try (GateLoad load = new GateLoad(xs, "/lostkick/load", 16, true)) {
                long before = load.operations.get();
                long stolen;
                try (KickThief thief = KickThief.start(fifo)) {
                    Thread.sleep(THEFT_MILLIS);
                    stolen = thief.stolen();
                }
                long during = load.operations.get() - before;
                long after = load.operations.get();
                WatchServiceTest.await(() -> load.operations.get() > after + 100);
                load.stop();
                Map<String, Long> counters = xs.statistics().transportCounters();
                System.out.printf("kicks to the %s stolen: %d in %d ms; %d operations meanwhile; load %s; ring %s%n",
                        whose, stolen, THEFT_MILLIS, during, load, counters);
                assertTrue(stolen > 0, "the thief stole kicks");
                assertTrue(during > 0, "requests completed while kicks were being lost");
                assertEquals(0L, load.outcomesUnknown.get(), "no request failed");
                xs.write("/lostkick/after", "ok");
                assertEquals("ok", xs.read("/lostkick/after"));
                return counters;
            }
        }
    }

    /**
     * Reads 4-byte kicks from an event-channel FIFO on its own thread until closed. Closing wakes its read
     * by writing kicks into the FIFO (the owner may take some: a spurious kick is harmless).
     */
    private static final class KickThief implements AutoCloseable {
        private final Path fifo;
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final AtomicLong bytes = new AtomicLong();
        private final Thread thread;

        private KickThief(Path fifo) {
            this.fifo = fifo;
            this.thread = new Thread(this::steal, "kick-thief");
            thread.setDaemon(true);
        }

        static KickThief start(Path fifo) {
            KickThief t = new KickThief(fifo);
            t.thread.start();
            return t;
        }

        private void steal() {
            try (InputStream in = new FileInputStream(fifo.toFile())) {
                byte[] buf = new byte[64];
                for (int n; !stopping.get() && (n = in.read(buf)) > 0;) {
                    if (!stopping.get()) {
                        bytes.addAndGet(n);
                    }
                }
            } catch (IOException e) {
                System.err.println("kick thief on " + fifo + ": " + e);
            }
        }

        private void join(long millis) {
            try {
                thread.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        long stolen() {
            return bytes.get() / 4;
        }

        @Override
        public void close() throws IOException {
            stopping.set(true);
            try (OutputStream out = new FileOutputStream(fifo.toFile())) {
                for (int i = 0; i < 100 && thread.isAlive(); i++) {
                    out.write(new byte[4]);
                    out.flush();
                    join(20);
                }
            }
            assertTrue(!thread.isAlive(), "the thief stopped");
        }
    }
}
