package org.jxenbus.distribution;

import static org.jxenbus.distribution.FelixRuntimeIT.HOME;
import static org.jxenbus.distribution.FelixRuntimeIT.autoStartEntries;
import static org.jxenbus.distribution.FelixRuntimeIT.median;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
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
    /** felix.fileinstall.poll in conf/config.properties. */
    private static final long FILE_INSTALL_POLL_MILLIS = 500;

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
            Thread.sleep(FILE_INSTALL_POLL_MILLIS + 500); // File Install has scanned config/ at least twice now
        } finally {
            assertEquals(FelixRuntimeIT.SIGTERM_STATUS, felix.stop(), "exit status after SIGTERM");
        }
        assertEquals(List.of(), FelixRuntimeIT.problems(felix.stdout()), "stdout");
        assertEquals(List.of(), FelixRuntimeIT.problems(felix.stderr()), "stderr");
        // The same configuration delivered again (File Install's first scan after the core started) changes
        // nothing: one connection, XenstoreService never withdrawn and registered again under its users.
        assertEquals(1, felix.stderr().stream().filter(line -> line.contains("xenstore: connected to")).count(),
                "connected once: " + felix.stderr());
    }

    /**
     * {@code xenbus:devices} lists what the device probe registered once its frontend bus is configured (the
     * example file renamed, as the configuration README says): two devices of dom0's home written by the
     * test, sorted by type and id, with both ends' states and the other end's path and domain.
     */
    @Test
    void xenbusDevicesListsWhatTheFrontendBusFound(FakeXenHost host, @TempDir Path runtime) throws Exception {
        Path config = runtime.resolve("config");
        Files.createDirectories(config);
        try (var files = Files.list(HOME.resolve("config"))) {
            for (Path f : files.toList()) {
                Files.copy(f, config.resolve(f.getFileName()));
            }
        }
        Files.copy(config.resolve("org.jxenbus.xenbus.probe.frontend.config.example"),
                config.resolve("org.jxenbus.xenbus.probe.frontend.config"));
        try (var xs = org.jxenbus.xenstore.client.Xenstore.open(host.socketUri())) {
            device(xs, "vif", "0", "4", "4");
            device(xs, "vbd", "51712", "1", "2");
        }
        FelixRuntime felix = FelixRuntime.start(HOME, runtime.resolve("run"), Map.of("XENSTORED_PATH",
                host.socket().toString(), "JXENBUS_CONFIG", config.toString()));
        try {
            Map<Long, FelixRuntime.Bundle> bundles = felix.untilAllActive();
            felix.untilRegistered(FelixRuntime.Bundle.id(bundles, "xenstore-shell-"),
                    "org.jxenbus.xenstore.shell.DevicesCommand");
            List<String> expected = List.of(
                    "bus       type      id    state             other end  (domain)  state",
                    "frontend  vbd       51712 Initialising (1)  /local/domain/0/backend/vbd/0/51712  (0)  InitWait (2)",
                    "frontend  vif       0     Connected (4)     /local/domain/0/backend/vif/0/0  (0)  Connected (4)");
            List<String> listed = List.of();
            long deadline = System.nanoTime() + ANSWER.toNanos();
            while (!listed.equals(expected) && System.nanoTime() < deadline) {
                listed = felix.gogo("xenbus:devices", ANSWER);
                Thread.sleep(100);
            }
            System.out.println("xenbus:devices\n" + String.join("\n", listed));
            assertEquals(expected, listed);
        } finally {
            assertEquals(FelixRuntimeIT.SIGTERM_STATUS, felix.stop(), "exit status after SIGTERM");
            try (var xs = org.jxenbus.xenstore.client.Xenstore.open(host.socketUri())) {
                xs.rm("/local/domain/0/device"); // the class's other tests list the store: leave it as found
                xs.rm("/local/domain/0/backend");
            }
        }
        assertEquals(List.of(), FelixRuntimeIT.problems(felix.stderr()), "stderr");
    }

    /** A frontend device of dom0 and its backend, as a toolstack writes them, in the given states. */
    private static void device(org.jxenbus.xenstore.api.XenstoreConnection xs, String type, String id,
            String state, String backendState) {
        String backend = "/local/domain/0/backend/" + type + "/0/" + id;
        String frontend = "/local/domain/0/device/" + type + "/" + id;
        xs.write(backend + "/frontend", frontend);
        xs.write(backend + "/frontend-id", "0");
        xs.write(backend + "/state", backendState);
        xs.write(frontend + "/backend", backend);
        xs.write(frontend + "/backend-id", "0");
        xs.write(frontend + "/state", state);
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
