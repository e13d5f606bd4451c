package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A full outgoing path (xenstored SIGSTOPped, its socket buffer full, the in-flight window and the
 * submission queue holding more) makes writers wait, never spin: the process uses almost no CPU for 10 s.
 */
@ExtendWith(XenstoredExtension.class)
class StalledServerCpuTest {

    @Test
    void writersWaitWithoutSpinningWhileTheServerIsStopped(FakeXenHost host) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        byte[] big = new byte[4000];
        try (XenstoreConnection xs = Xenstore.open(host.clientUri())) {
            xs.write("/cpu/warm", "1");
            host.pause();
            ExecutorService blockedWriters = Executors.newFixedThreadPool(16);
            try {
                List<CompletableFuture<Void>> async = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    async.add(xs.async().write("/cpu/a" + i, big));
                }
                for (int t = 0; t < 16; t++) {
                    int thread = t;
                    blockedWriters.submit(() -> xs.write("/cpu/b" + thread, big));
                }
                TimeoutCompensationTest.awaitStat(() -> xs.statistics().queued() > 200, xs);
                Thread.sleep(500);
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                Thread.sleep(10_000);
                double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
                double wallSeconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("stalled server: %.3f s CPU in %.1f s wall (%.2f%% of one core), %s%n", cpuSeconds,
                        wallSeconds, 100 * cpuSeconds / wallSeconds, xs.statistics());
                assertTrue(cpuSeconds < 0.5, "CPU near idle while stalled: " + cpuSeconds + " s in 10 s");
            } finally {
                host.resume();
                blockedWriters.shutdown();
                assertTrue(blockedWriters.awaitTermination(30, TimeUnit.SECONDS), "blocked writers finish after SIGCONT");
            }
            xs.write("/cpu/after", "ok");
        }
    }
}
