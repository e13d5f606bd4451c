package org.jxenbus.distribution;

import static org.jxenbus.distribution.FelixRuntimeIT.HOME;
import static org.jxenbus.distribution.FelixRuntimeIT.autoStartEntries;
import static org.jxenbus.distribution.FelixRuntimeIT.median;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;

/**
 * {@code bin/jxenbus} on a host with a real xenstored, found as a dom0 agent finds it ({@code $XENSTORED_PATH},
 * nothing configured): the core registers XenstoreService and the shell's xs:* commands answer from it. Prints how long a fresh start takes until every
 * bundle is ACTIVE and until XenstoreService is registered, and the heap then (medians of several starts).
 */
@ExtendWith(XenstoredExtension.class)
class FelixRuntimeOnXenstoredIT {

    private static final String XENSTORE_SERVICE = "org.jxenbus.xenstore.api.XenstoreService";
    private static final int STARTS = 5;
    private static final Duration ANSWER = Duration.ofSeconds(30);

    @Test
    void theShellsCommandsAnswerFromTheDiscoveredXenstored(FakeXenHost host, @TempDir Path runtime) throws Exception {
        FelixRuntime felix = FelixRuntime.start(HOME, runtime, Map.of("XENSTORED_PATH", host.socket().toString()));
        try {
            Map<Long, FelixRuntime.Bundle> bundles = felix.untilAllActive();
            felix.untilRegistered(FelixRuntime.Bundle.id(bundles, "xenstore-core-"), XENSTORE_SERVICE);
            felix.untilRegistered(FelixRuntime.Bundle.id(bundles, "xenstore-shell-"), "org.jxenbus.xenstore.shell.StoreCommands");
            assertEquals(List.of(), felix.gogo("xs:write /felix-it/greeting hello", ANSWER));
            assertEquals(List.of("greeting = \"hello\""), felix.gogo("xs:ls /felix-it", ANSWER));
            List<String> root = felix.gogo("xs:ls /", ANSWER);
            assertTrue(root.contains("tool = \"\"") && root.contains("felix-it = \"\""), "xs:ls /: " + root);
        } finally {
            assertEquals(FelixRuntimeIT.SIGTERM_STATUS, felix.stop(), "exit status after SIGTERM");
        }
        assertEquals(List.of(), FelixRuntimeIT.problems(felix.stdout()), "stdout");
        assertEquals(List.of(), FelixRuntimeIT.problems(felix.stderr()), "stderr");
    }

    @Test
    void discoversXenstoredAndRegistersXenstoreServiceStartTimeAndHeap(FakeXenHost host, @TempDir Path scratch)
            throws Exception {
        Map<String, String> env = Map.of("XENSTORED_PATH", host.socket().toString());
        List<Long> active = new ArrayList<>();
        List<Long> service = new ArrayList<>();
        List<Long> used = new ArrayList<>();
        List<Long> committed = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) {
            FelixRuntime felix = FelixRuntime.start(HOME, scratch.resolve("run-" + i), env);
            try {
                Map<Long, FelixRuntime.Bundle> bundles = felix.untilAllActive();
                active.add(felix.elapsedNanos() / 1_000_000);
                felix.untilRegistered(FelixRuntime.Bundle.id(bundles, "xenstore-core-"), XENSTORE_SERVICE);
                service.add(felix.elapsedNanos() / 1_000_000);
                long[] heap = HeapAfterGc.of(felix.pid());
                used.add(heap[0] / 1024);
                committed.add(heap[1] / 1024);
            } finally {
                assertEquals(FelixRuntimeIT.SIGTERM_STATUS, felix.stop(), "exit status after SIGTERM");
            }
            assertEquals(List.of(), FelixRuntimeIT.problems(felix.stdout()), "stdout");
            assertEquals(List.of(), FelixRuntimeIT.problems(felix.stderr()), "stderr");
        }
        System.out.printf("bin/jxenbus on xenstored, %d fresh starts (medians): all %d bundles ACTIVE after %d ms, "
                + "XenstoreService registered after %d ms; heap after a full GC: %d KiB used of %d KiB committed%n"
                + "  all bundles ACTIVE (ms): %s%n  XenstoreService registered (ms): %s%n  heap used (KiB): %s%n"
                + "  heap committed (KiB): %s%n",
                STARTS, autoStartEntries(), median(active), median(service), median(used), median(committed),
                active, service, used, committed);
    }
}
