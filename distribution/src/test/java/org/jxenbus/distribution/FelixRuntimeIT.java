package org.jxenbus.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/jxenbus}, the Felix runtime, started in a fresh runtime folder as a customer starts it, on a
 * machine without Xen: every bundle of the features repository, and nothing else, reaches ACTIVE; nothing logs
 * an error; the runtime writes only into its runtime folder; SIGTERM to its pid stops it cleanly.
 */
class FelixRuntimeIT {

    static final Path HOME = Path.of(System.getProperty("jxenbus.home", "target/jxenbus"));
    /** JVM exit status after SIGTERM (128 + 15), once Felix's shutdown hook has stopped the framework. */
    static final int SIGTERM_STATUS = 143;
    /** The store's configuration file, under the installation and under a runtime's own config folder. */
    private static final String STORE_FILE = "config/org.jxenbus.xenstore.cfg";
    private static final Pattern STACK_TRACE = Pattern.compile("^(\\s+at \\S+\\(|Caused by: |Exception in thread )");

    @Test
    void everyFeatureBundleIsActiveInAFreshRuntimeAndNothingLogsAnError(@TempDir Path runtime) throws Exception {
        assumeNoXenbusDevice();
        List<Path> installation = listing(HOME);
        Map<Long, FelixRuntime.Bundle> bundles;
        int status;
        FelixRuntime felix = FelixRuntime.start(HOME, runtime, Map.of("XENSTORED_PATH",
                runtime.resolve("no-xenstored-here").toString()));
        try {
            bundles = felix.untilAllActive();
            untilTheGuestAgentPublished(felix, bundles); // the runtime fully up, the agent's activation included
        } finally {
            status = felix.stop();
        }

        TreeSet<String> expected = new TreeSet<>();
        try (Stream<Path> jars = Files.list(HOME.resolve("bundle"))) {
            jars.forEach(jar -> expected.add("file:" + jar.toAbsolutePath().normalize()));
        }
        TreeSet<String> installed = bundles.values().stream().filter(b -> b.id() != 0)
                .map(FelixRuntime.Bundle::location).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, installed, "the runtime runs exactly the bundles in bundle/");
        assertEquals(expected.size(), autoStartEntries(), "bundle/ holds exactly what conf/config.properties starts");

        assertEquals(SIGTERM_STATUS, status, "exit status after SIGTERM");
        assertEquals(List.of(), problems(felix.stdout()), "stdout");
        assertEquals(List.of(), problems(felix.stderr()), "stderr");
        assertTrue(Files.isDirectory(runtime.resolve("felix-cache")), "felix-cache is in the runtime folder");
        assertTrue(Files.isDirectory(runtime.resolve("jna")), "JNA's folder is in the runtime folder");
        assertEquals(installation, listing(HOME), "the installation gains nothing from a run");
    }

    /**
     * Where no Xen is (no xenstored socket, no xenbus device), the runtime settles on the embedded simulator,
     * says so in one line, registers XenstoreService on it, and the Gogo shell answers {@code xs:ls /} from it
     * as xenstore-ls prints it. Prints how long that start took.
     */
    @Test
    void withoutXenItRunsOnTheSimulatorSaysSoAndTheShellAnswers(@TempDir Path runtime) throws Exception {
        assumeNoXenbusDevice();
        Map<String, String> noXenstored = Map.of("XENSTORED_PATH", runtime.resolve("no-xenstored-here").toString());
        FelixRuntime felix = FelixRuntime.start(HOME, runtime.resolve("run"), noXenstored);
        long serviceMillis;
        List<String> root;
        try {
            Map<Long, FelixRuntime.Bundle> bundles = felix.untilAllActive();
            felix.untilRegistered(FelixRuntime.Bundle.id(bundles, "xenstore-core-"),
                    "org.jxenbus.xenstore.api.XenstoreService");
            serviceMillis = felix.elapsedNanos() / 1_000_000;
            felix.untilRegistered(FelixRuntime.Bundle.id(bundles, "xenstore-shell-"),
                    "org.jxenbus.xenstore.shell.StoreCommands");
            root = felix.gogo("xs:ls /", Duration.ofSeconds(30));
        } finally {
            assertEquals(SIGTERM_STATUS, felix.stop(), "exit status after SIGTERM");
        }
        System.out.printf("bin/jxenbus without Xen: XenstoreService on the simulator after %d ms (discovery "
                + "included); xs:ls / printed %s%n", serviceMillis, root);
        assertEquals(List.of("tool = \"\"", " xenstored = \"\""), root.subList(0, Math.min(2, root.size())),
                "xs:ls / on the simulator starts with its /tool/xenstored (then what the guest agent wrote)");
        List<String> announced = felix.stderr().stream().filter(line -> line.contains("EMBEDDED SIMULATOR"))
                .collect(Collectors.toList());
        assertEquals(1, announced.size(), "one line says the simulator is used: " + felix.stderr());
        assertEquals(List.of(), problems(felix.stdout()), "stdout");
        assertEquals(List.of(), problems(felix.stderr()), "stderr");
    }

    /**
     * Where no Xen is, the runtime need not wait out the discovery grace: once every transport bundle is active
     * and has answered that it finds no store, none still starting could, so it settles on the simulator then.
     * Here the grace is two minutes, longer than the wait for the service allows.
     */
    @Test
    void withoutXenTheSimulatorIsTakenOnceEveryTransportBundleHasAnswered(@TempDir Path runtime) throws Exception {
        assumeNoXenbusDevice();
        String store = Files.readString(HOME.resolve(STORE_FILE));
        FelixRuntime felix = startConfigured(runtime, store.replace("\n#discoveryGraceMillis = 3000\n",
                "\ndiscoveryGraceMillis = 120000\n"));
        long serviceMillis;
        try {
            Map<Long, FelixRuntime.Bundle> bundles = felix.untilAllActive();
            felix.untilRegistered(FelixRuntime.Bundle.id(bundles, "xenstore-core-"),
                    "org.jxenbus.xenstore.api.XenstoreService");
            serviceMillis = felix.elapsedNanos() / 1_000_000;
            untilTheGuestAgentPublished(felix, bundles);
        } finally {
            assertEquals(SIGTERM_STATUS, felix.stop(), "exit status after SIGTERM");
        }
        System.out.printf("bin/jxenbus without Xen, discovery grace 120 s: XenstoreService on the simulator after "
                + "%d ms%n", serviceMillis);
        assertTrue(serviceMillis < 120_000, "settled before the grace was over: " + serviceMillis + " ms");
        assertEquals(1, felix.stderr().stream().filter(line -> line.contains("EMBEDDED SIMULATOR")).count(),
                "one line says the simulator is used: " + felix.stderr());
        assertEquals(List.of(), problems(felix.stderr()), "stderr");
    }

    /**
     * {@code uri = sim:} in the store's configuration, as its comment offers: a scheme alone names that
     * transport's default (as {@code Xenstore.open} takes it), here the shared simulator, used at once (no
     * discovery grace) even though it is no URI to {@link java.net.URI}.
     */
    @Test
    void aSchemeAloneInTheConfigurationNamesThatTransportsDefault(@TempDir Path runtime) throws Exception {
        String store = Files.readString(HOME.resolve(STORE_FILE));
        assertTrue(store.contains("\nuri =\n"), "the shipped configuration leaves uri empty");
        FelixRuntime felix = startConfiguredForTheSimulator(runtime, store);
        List<String> root;
        try {
            Map<Long, FelixRuntime.Bundle> bundles = felix.untilAllActive();
            felix.untilRegistered(FelixRuntime.Bundle.id(bundles, "xenstore-core-"),
                    "org.jxenbus.xenstore.api.XenstoreService");
            felix.untilRegistered(FelixRuntime.Bundle.id(bundles, "xenstore-shell-"),
                    "org.jxenbus.xenstore.shell.StoreCommands"); // SCR registers the commands after the service
            root = felix.gogo("xs:ls /tool", Duration.ofSeconds(30));
        } finally {
            assertEquals(SIGTERM_STATUS, felix.stop(), "exit status after SIGTERM");
        }
        assertEquals(List.of("xenstored = \"\""), root, "xs:ls /tool on the simulator");
        assertEquals(1, felix.stderr().stream().filter(line -> line.contains("EMBEDDED SIMULATOR sim:default")).count(),
                "one line says the simulator sim:default is used: " + felix.stderr());
        assertEquals(List.of(), problems(felix.stdout()), "stdout");
        assertEquals(List.of(), problems(felix.stderr()), "stderr");
    }

    /**
     * The configuration file edited while the runtime runs, naming the store in use another way ({@code sim:}
     * became {@code sim:default}) with other options: File Install delivers it, the options apply to the open
     * connection, and the service is not restarted (the simulator is announced once, no transport swap).
     */
    @Test
    void anEditNamingTheStoreInUseWithOtherOptionsAppliesThemInPlace(@TempDir Path runtime) throws Exception {
        String store = Files.readString(HOME.resolve(STORE_FILE));
        FelixRuntime felix = startConfiguredForTheSimulator(runtime, store);
        List<String> stat;
        try {
            Map<Long, FelixRuntime.Bundle> bundles = felix.untilAllActive();
            felix.untilRegistered(FelixRuntime.Bundle.id(bundles, "xenstore-shell-"),
                    "org.jxenbus.xenstore.shell.StatCommand");
            Files.writeString(runtime.resolve(STORE_FILE), store.replace("\nuri =\n", "\nuri = sim:default\n")
                    .replace("\n#maxInFlight = 0\n", "\nmaxInFlight = 3\n")
                    .replace("\n#requestTimeoutMillis = 120000\n", "\nrequestTimeoutMillis = 60000\n"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (felix.stderr().stream().noneMatch(line -> line.contains("changed options applied"))) {
                assertTrue(System.nanoTime() < deadline, "File Install delivered the edit and the runtime applied "
                        + "it within 30 s: " + felix.stderr());
                Thread.sleep(50);
            }
            stat = felix.gogo("xs:stat", Duration.ofSeconds(30));
            untilTheGuestAgentPublished(felix, bundles);
        } finally {
            assertEquals(SIGTERM_STATUS, felix.stop(), "exit status after SIGTERM");
        }
        assertTrue(stat.stream().anyMatch(line -> line.matches("in flight\\s+0 of 3")), "the new window: " + stat);
        assertTrue(stat.stream().anyMatch(line -> line.matches("transport swaps\\s+0")), "no transport swap: " + stat);
        assertEquals(1, felix.stderr().stream().filter(line -> line.contains("EMBEDDED SIMULATOR")).count(),
                "the simulator connected once, not again for the edit: " + felix.stderr());
        assertEquals(List.of(), problems(felix.stdout()), "stdout");
        assertEquals(List.of(), problems(felix.stderr()), "stderr");
    }

    /**
     * Waits until the guest agent has written its facts into the store, so that stopping the runtime does not
     * cut SCR's activation of the agent short (SCR then logs an ERROR that its XenstoreService went away).
     */
    private static void untilTheGuestAgentPublished(FelixRuntime felix, Map<Long, FelixRuntime.Bundle> bundles)
            throws IOException, InterruptedException {
        felix.untilRegistered(FelixRuntime.Bundle.id(bundles, "xenstore-shell-"),
                "org.jxenbus.xenstore.shell.StoreCommands");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> data = felix.gogo("xs:ls /local/domain/0/data", Duration.ofSeconds(30));
        while (data.stream().noneMatch(line -> line.startsWith("meminfo_total"))) {
            assertTrue(System.nanoTime() < deadline, "the guest agent published within 30 s: " + data);
            Thread.sleep(50);
            data = felix.gogo("xs:ls /local/domain/0/data", Duration.ofSeconds(30));
        }
    }

    /**
     * {@code bin/jxenbus} with File Install's folder {@code runtime}/config holding {@code shipped} with
     * {@code uri = sim:}, where no xenstored is to be found.
     */
    private static FelixRuntime startConfiguredForTheSimulator(Path runtime, String shipped) throws IOException {
        return startConfigured(runtime, shipped.replace("\nuri =\n", "\nuri = sim:\n"));
    }

    /**
     * {@code bin/jxenbus} with File Install's folder {@code runtime}/config holding {@code store} as the store's
     * configuration, where no xenstored is to be found.
     */
    private static FelixRuntime startConfigured(Path runtime, String store) throws IOException {
        Path file = runtime.resolve(STORE_FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, store);
        return FelixRuntime.start(HOME, runtime.resolve("run"), Map.of("JXENBUS_CONFIG",
                file.getParent().toString(), "XENSTORED_PATH", runtime.resolve("no-xenstored-here").toString()));
    }

    /** Skips the test where a xenbus device exists: the runtime would use it, not the simulator. */
    private static void assumeNoXenbusDevice() {
        assumeFalse(Files.exists(Path.of("/dev/xen/xenbus")) || Files.exists(Path.of("/proc/xen/xenbus")),
                "this machine has a xenbus device: the runtime would use it, not the simulator");
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.sorted().collect(Collectors.toList());
        }
    }

    /** Lines that report an error: Felix's "ERROR:", java.util.logging's SEVERE, SCR's [ERROR], stack traces. */
    static List<String> problems(List<String> lines) {
        return lines.stream().filter(line -> line.contains("ERROR") || line.startsWith("SEVERE")
                || STACK_TRACE.matcher(line).find()).collect(Collectors.toList());
    }

    /** How many bundles conf/config.properties starts (its felix.auto.start.N lists). */
    static int autoStartEntries() throws IOException {
        String config = Files.readString(HOME.resolve("conf/config.properties"));
        Matcher m = Pattern.compile("(?m)^\\s*file:\\$\\{jxenbus.home}/bundle/\\S+\\.jar").matcher(config);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
