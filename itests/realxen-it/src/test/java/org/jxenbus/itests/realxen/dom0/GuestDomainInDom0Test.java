package org.jxenbus.itests.realxen.dom0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jxenbus.itests.realxen.domu.GuestChecks;
import org.jxenbus.itests.realxen.domu.GuestHotSwap;
import org.jxenbus.xenbus.probe.internal.BusOptions;
import org.jxenbus.xenbus.probe.internal.DeviceBus;
import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.device.XenbusBus;
import org.jxenbus.xenstore.api.device.XenbusDevice;
import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.api.watch.OwnedWatchService;
import org.jxenbus.xenstore.client.Xenstore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A real unprivileged PV guest: dom0 starts it with Debian's {@code xl} (a vif included, its hotplug script
 * itests/realxen/vif-connected.sh), the same Debian kernel booting as a PV domU from an initramfs that carries
 * a jlinked runtime and the domU checks ({@link GuestChecks}, built by itests/realxen/domu-initrd.sh on the host).
 * In the guest, jxenbus over {@code xenbus:}: relative paths resolve to its home, {@code GET_DOMAIN_PATH} names it,
 * dom0's nodes are refused with {@code EACCES}; the guest agent publishes its {@code data/} nodes, which dom0
 * reads back here; the frontend probe in the guest and the backend probe here both see the vif xl made; in the
 * guest's Felix, the transport bundle serving {@code xenbus:} is hot-swapped under load with nothing lost.
 *
 * <p>One guest for the class: it is started once, reports once (then waits for dom0 to collect), and the last
 * test sees it power off and the toolstack remove it. Its console is logged by xenconsoled into the results
 * folder ({@code domu-console/}), which reaches the host.
 */
@Tag("dom0")
@Order(1) // first in the suite (java-tests-dom0.sh orders classes by @Order): a fresh dom0 and xenstored
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuestDomainInDom0Test {

    /** Set by java-tests-dom0.sh from the host's domu-initrd.sh: the guest's kernel and initramfs. */
    static final String KERNEL = "realxen.domu.kernel";
    static final String INITRD = "realxen.domu.initrd";
    static final String NAME = "jxenbus-domu";
    static final String MAC = "00:16:3e:4a:58:01";
    /** What domu-init.sh gives the vif's interface. */
    static final String GUEST_ADDRESS = "169.254.0.2";
    /**
     * From xl create to the guest's reports: 420 s were needed with the host at load 8-11, two lanes running,
     * before the guest's Felix hot swap ran first (up to 300 s of the guest's time).
     */
    private static final long REPORT_SECONDS = 900;

    private static Toolstack toolstack;
    private static XenstoreConnection dom0;
    private static OwnedWatchService watches;
    private static DeviceBus backend;
    private static int domid;
    /** The guest's reports, read once it said "ready", and its agent's nodes at that moment. */
    private static final Map<String, String> reports = new HashMap<>();
    private static final Map<String, Optional<String>> agentNodes = new HashMap<>();
    private static String backendVif;

    @BeforeAll
    @Timeout(value = 1140, unit = TimeUnit.SECONDS)
    static void startTheGuest() throws Exception {
        long t0 = System.nanoTime();
        Dom0Xenstored store = Dom0Xenstored.get();
        System.out.printf("xenstored ready in %d ms%n", millisSince(t0));
        t0 = System.nanoTime();
        dom0 = Xenstore.open(store.socketUri());
        dom0.write(GuestChecks.DOM0_SECRET, "dom0 only");
        // Owner dom0, nobody else may read or write (the default of a node dom0 makes, stated here).
        dom0.setPermissions(GuestChecks.DOM0_SECRET, Permissions.parse("n0"));
        dom0.setPermissions("/local/domain/0/data", Permissions.parse("n0"));
        toolstack = Toolstack.ready(Path.of(System.getenv("REALXEN_RESULTS"), "domu-console"));
        watches = Xenstore.watches(dom0);
        backend = DeviceBus.start(XenbusBus.BACKEND, dom0, watches, BusOptions.defaults(XenbusBus.BACKEND),
                GuestChecks.NO_LISTENER);
        System.out.printf("toolstack ready in %d ms%n", millisSince(t0));
        t0 = System.nanoTime();
        domid = toolstack.create(config());
        System.out.printf("domU %d created by xl in %d ms%n", domid, millisSince(t0));
        String home = "/local/domain/" + domid;
        String checks = home + "/" + GuestChecks.CHECKS;
        // Polled in xenstore: a fork of xl costs dom0 a second of both vCPUs under TCG.
        await("the guest's reports", REPORT_SECONDS, () -> dom0.exists(checks + "/ready")
                || dom0.exists(checks + "/done") || !dom0.exists(home));
        System.out.printf("domU %d reported after %d ms%n", domid, millisSince(t0));
        if (dom0.exists(checks)) {
            for (String name : dom0.directory(checks)) {
                reports.put(name, dom0.read(checks + "/" + name));
            }
        }
        for (String node : List.of("data/os_distro", "data/os_uname", "data/meminfo_total", "data/meminfo_free",
                "data/updated", "attr/vif/0/ipv4/0")) {
            agentNodes.put(node, dom0.exists(home + "/" + node) ? Optional.of(dom0.read(home + "/" + node))
                    : Optional.empty());
        }
        String backendPath = "backend/vif/" + domid + "/0";
        await("the vif connected on dom0's backend bus", 60, () -> device(backendPath)
                .filter(d -> d.state() == XenbusState.CONNECTED && d.otherendState() == XenbusState.CONNECTED)
                .isPresent());
        backendVif = device(backendPath).map(GuestChecks::describe).orElse("none");
        System.out.printf("domU %d read after %d ms%n", domid, millisSince(t0));
    }

    @AfterAll
    static void stopTheGuest() throws Exception {
        long t0 = System.nanoTime();
        try {
            if (toolstack != null) {
                toolstack.close(domid);
            }
        } finally {
            if (backend != null) {
                backend.close();
            }
            if (watches != null) {
                watches.close();
            }
            if (dom0 != null) {
                dom0.close();
            }
            System.out.printf("domU stopped, toolstack closed in %d ms%n", millisSince(t0));
        }
    }

    @Test
    @Order(1)
    void xlBootsTheGuestAndItFindsItsHomeOverXenbus() {
        assertEquals(String.valueOf(domid), reports.get("domid"), console());
        assertEquals("/local/domain/" + domid, reports.get("domain-path"), console());
        assertTrue(reports.getOrDefault("connection", "").contains("xenbus"), reports.toString());
    }

    @Test
    @Order(2)
    void theGuestWritesItsOwnSubtreeWithRelativePaths() {
        String value = "written by the guest over xenbus:";
        assertEquals("read back '" + value + "', listed true", reports.get("own-subtree"), console());
        assertEquals(value, dom0.read("/local/domain/" + domid + "/" + GuestChecks.CHECKS + "/written"));
    }

    @Test
    @Order(3)
    void dom0sNodesAreRefusedToTheGuestWithEacces() {
        String denied = "threw AccessDeniedException EACCES";
        assertEquals(denied, reports.get("dom0-read"), console());
        assertEquals(denied, reports.get("dom0-write"), console());
        assertEquals(denied, reports.get("dom0-directory"), console());
        assertEquals("dom0 only", dom0.read(GuestChecks.DOM0_SECRET));
    }

    @Test
    @Order(4)
    void theGuestAgentsDataNodesAreReadBackInDom0() throws IOException {
        assertTrue(reports.getOrDefault("agent", "").startsWith("publications "), reports + console());
        String osRelease = Files.readString(Path.of("/etc/os-release"));
        String id = osRelease.lines().filter(l -> l.startsWith("ID=")).findFirst().orElseThrow().substring(3)
                .replace("\"", "");
        assertEquals(Optional.of(id), agentNodes.get("data/os_distro"), agentNodes.toString());
        String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        assertEquals(Optional.of(release), agentNodes.get("data/os_uname"), "the guest runs dom0's kernel");
        long total = Long.parseLong(agentNodes.get("data/meminfo_total").orElseThrow());
        long free = Long.parseLong(agentNodes.get("data/meminfo_free").orElseThrow());
        assertTrue(total > 256 * 1024 && total <= 512 * 1024, "MemTotal of a 512 MiB guest, KiB: " + total);
        assertTrue(free > 0 && free < total, "MemAvailable " + free + " of " + total);
        assertTrue(agentNodes.get("data/updated").isPresent(), agentNodes.toString());
        assertEquals(Optional.of(GUEST_ADDRESS), agentNodes.get("attr/vif/0/ipv4/0"), agentNodes.toString());
    }

    @Test
    @Order(5)
    void theFrontendProbeInTheGuestSeesTheVifXlMade() {
        assertEquals("vif/0 device/vif/0 otherend /local/domain/0/backend/vif/" + domid + "/0 otherend-id 0"
                + " state CONNECTED otherend-state CONNECTED", reports.get("frontend-vif"), console());
    }

    @Test
    @Order(6)
    void theBackendProbeInDom0SeesTheSameVif() {
        assertEquals("vif/0 backend/vif/" + domid + "/0 otherend /local/domain/" + domid + "/device/vif/0"
                + " otherend-id " + domid + " state CONNECTED otherend-state CONNECTED", backendVif);
        assertEquals(MAC, dom0.read("/local/domain/0/backend/vif/" + domid + "/0/mac"));
    }

    /**
     * The guest's Felix (GuestHotSwap): the runtime over {@code xenbus:} with its transport bundle stopped and
     * started, then updated, each {@value GuestHotSwap#ROUNDS} times, under 4 threads of checked load. Every
     * reply agreed with the threads' models, only writes overlapping a stop or update ended with their outcome
     * unknown, no call timed out or hung, and a raw watch set before the rounds fired after each. A transaction
     * held open across the first stop cannot commit afterwards (and the guest can still suspend: the next test).
     */
    @Test
    @Order(7)
    void aTransportBundleIsHotSwappedInTheGuestsFelixUnderLoadWithNothingLost() {
        String line = reports.getOrDefault(GuestHotSwap.REPORT, "");
        String all = "report: " + line + console();
        Map<String, String> r = new HashMap<>();
        for (String pair : line.split(" ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                r.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        assertFalse(r.containsKey("error"), all);
        assertTrue(r.getOrDefault("store", "").startsWith("xenbus:"), all);
        String rounds = String.valueOf(GuestHotSwap.ROUNDS);
        assertEquals(rounds, r.get("stops"), "stopped and started: " + all);
        assertEquals(rounds, r.get("updates"), "updated to a new revision, active again: " + all);
        assertEquals(rounds, r.get("beacons"), "the raw watch fired after each round: " + all);
        String held = r.getOrDefault("held-transaction", "");
        assertTrue(!held.isEmpty() && !held.equals("committed"),
                "a transaction open when its transport went cannot commit: " + all);
        assertTrue(Long.parseLong(r.getOrDefault("swaps", "0")) >= 2L * GuestHotSwap.ROUNDS,
                "each stop and update replaced the transport: " + all);
        for (String none : List.of("timeout", "outcome_unknown_unexpected", "wrong_result", "other_error", "hung",
                "failures")) {
            assertEquals("0", r.get(none), none + ": " + all);
        }
        for (String some : List.of("read", "async_read", "write", "transaction")) {
            assertTrue(Long.parseLong(r.getOrDefault(some, "0")) > 0, some + " calls ran: " + all);
        }
    }

    /**
     * Issue 11's stretch: {@code xl save} of the running guest, then {@code xl restore} (a new domain, so a new
     * home). The guest's kernel re-registers its xenbus watches on resume, the guest agent's among them
     * ({@code unique-domain-id}, whose event makes it publish everything again): its {@code data/} nodes appear in
     * the new home, which the toolstack made empty. Then the toolstack's way of saying "you were moved": a new
     * {@code unique-domain-id}, after dom0 removed one of the agent's nodes; the watch fires again and the agent
     * puts the node back. The guest's jxenbus connection over {@code xenbus:} lives through it all: it reads
     * {@code collected} in its new home afterwards and ends as it should.
     */
    @Test
    @Order(8)
    void afterXlSaveAndRestoreTheGuestAgentsWatchStillFires() throws Exception {
        int before = domid;
        Path image = Path.of("/tmp/jxenbus-domu.save");
        long t0 = System.nanoTime();
        toolstack.save(before, image);
        System.out.printf("domU %d saved by xl in %d ms (%d MiB)%n", before, millisSince(t0),
                Files.size(image) >> 20);
        assertFalse(dom0.exists("/local/domain/" + before), "the saved domain is gone");
        t0 = System.nanoTime();
        try {
            domid = toolstack.restore(image);
        } finally {
            Files.deleteIfExists(image);
        }
        System.out.printf("domU restored by xl as %d in %d ms%n", domid, millisSince(t0));
        assertTrue(domid != before, "xl restore makes a new domain: " + domid);
        String home = "/local/domain/" + domid;
        await("the agent's data/ in the restored guest's home (its watch fired on resume)", 180,
                () -> dom0.exists(home + "/data/os_distro") && dom0.exists(home + "/data/meminfo_total"));
        System.out.printf("domU %d republished after %d ms%n", domid, millisSince(t0));
        dom0.rm(home + "/data/os_distro");
        dom0.write(home + "/unique-domain-id", "jxenbus-restored-" + domid);
        // Owner dom0; the guest may read it, so xenstored sends it the watch's event.
        dom0.setPermissions(home + "/unique-domain-id", Permissions.parse("n0 r" + domid));
        await("data/os_distro put back after unique-domain-id changed", 120,
                () -> dom0.exists(home + "/data/os_distro"));
        assertEquals(agentNodes.get("data/os_distro").orElseThrow(), dom0.read(home + "/data/os_distro"));
        System.out.printf("domU %d: the agent's watch fired after the restore, %d ms after it%n", domid,
                millisSince(t0));
    }

    @Test
    @Order(9)
    void theGuestPowersOffAndTheToolstackRemovesIt() throws Exception {
        String home = "/local/domain/" + domid;
        dom0.write(home + "/" + GuestChecks.CHECKS + "/" + GuestChecks.COLLECTED, "1");
        await("the guest to power off and xl to remove its home", 150, () -> !dom0.exists(home));
        // The home goes first; the domain stays listed while Xen frees its memory (seconds under TCG, after
        // a restore too). Polled slowly: each xl costs dom0 about a second.
        await("xl list to stop listing domain " + domid, 90, () -> !toolstack.exists(domid));
        assertFalse(dom0.exists("/local/domain/0/backend/vif/" + domid));
        assertTrue(console().contains("domu-checks: dom0 collected the reports"), console());
    }

    private static Optional<XenbusDevice> device(String nodename) {
        return backend.devices().stream().filter(d -> nodename.equals(d.nodename())).findFirst();
    }

    private static String config() {
        String kernel = System.getProperty(KERNEL, "");
        String initrd = System.getProperty(INITRD, "");
        if (kernel.isEmpty() || initrd.isEmpty()) {
            throw new IllegalStateException("no domU kernel/initramfs: set " + KERNEL + " and " + INITRD
                    + " (RealXenLaneIT does, from itests/realxen/domu-initrd.sh)");
        }
        Path script = Path.of(System.getProperty("jxenbus.root", "/work/main"), "itests/realxen/vif-connected.sh");
        return String.join("\n",
                "name = \"" + NAME + "\"",
                "type = \"pv\"",
                "kernel = \"" + kernel + "\"",
                "ramdisk = \"" + initrd + "\"",
                "extra = \"console=hvc0 quiet\"",
                "memory = 512",
                "vcpus = 2",
                "vif = [ 'mac=" + MAC + ",script=" + script + "' ]",
                "on_poweroff = \"destroy\"",
                "on_crash = \"destroy\"",
                "");
    }

    private static String console() {
        return "\nconsole of the guest:\n" + toolstack.console();
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " in " + seconds + " s" + console() + "\n"
                        + toolstack.list());
            }
            Thread.sleep(250);
        }
    }

    /**
     * Debian's xl and xenconsoled from the host's cache (itests/realxen/domu-toolstack.sh readies dom0 for them).
     * xenconsoled runs in the foreground, its pid ours, stopped by {@link #close}.
     */
    static final class Toolstack {

        /** What domu-toolstack.sh printed: the programs, and ENV_NAME=value for their environment. */
        private final Map<String, String> keys;
        private final Process consoled;
        private final Path consoleDir;

        private Toolstack(Map<String, String> keys, Process consoled, Path consoleDir) {
            this.keys = keys;
            this.consoled = consoled;
            this.consoleDir = consoleDir;
        }

        static Toolstack ready(Path consoleDir) throws IOException, InterruptedException {
            Path script = Path.of(System.getProperty("jxenbus.root", "/work/main"), "itests/realxen/domu-toolstack.sh");
            Map<String, String> keys = new HashMap<>();
            for (String line : run(List.of(script.toString()), Map.of(), 120).lines().toList()) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    keys.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            Files.createDirectories(consoleDir);
            ProcessBuilder pb = new ProcessBuilder(keys.get("XENCONSOLED"), "--interactive", "--log=guest",
                    "--log-dir=" + consoleDir);
            pb.environment().putAll(environment(keys));
            pb.redirectErrorStream(true).redirectOutput(consoleDir.resolve("xenconsoled.log").toFile());
            Process consoled = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(consoled::destroyForcibly));
            return new Toolstack(keys, consoled, consoleDir);
        }

        private static Map<String, String> environment(Map<String, String> keys) {
            Map<String, String> env = new HashMap<>();
            keys.forEach((k, v) -> {
                if (k.startsWith("ENV_")) {
                    env.put(k.substring(4), v);
                }
            });
            return env;
        }

        /** {@code xl save} of domain {@code id} into {@code image}: the domain is suspended, saved and destroyed. */
        void save(int id, Path image) throws IOException, InterruptedException {
            xl(300, "save", String.valueOf(id), image.toString());
        }

        /** {@code xl restore} of {@code image}; returns the restored domain's (new) id. */
        int restore(Path image) throws IOException, InterruptedException {
            xl(300, "restore", image.toString());
            return Integer.parseInt(xl(30, "domid", NAME).trim());
        }

        /** {@code xl create} of {@code config}; returns the new domain's id. */
        int create(String config) throws IOException, InterruptedException {
            Path file = Files.createTempFile("domu", ".cfg");
            Files.writeString(file, config);
            xl(180, "create", file.toString());
            return Integer.parseInt(xl(30, "domid", NAME).trim());
        }

        boolean exists(int id) {
            try {
                return xl(30, "list").lines().anyMatch(l -> l.split("\\s+").length > 1
                        && l.split("\\s+")[1].equals(String.valueOf(id)));
            } catch (IOException e) {
                throw new AssertionError("xl list: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** {@code xl list}, or why it failed: for a failure's message. */
        String list() {
            try {
                return xl(30, "list");
            } catch (IOException e) {
                return e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        String console() {
            try {
                Path log = consoleDir.resolve("guest-" + NAME + ".log");
                if (!Files.exists(log)) {
                    return "(no console log)";
                }
                String all = Files.readString(log, StandardCharsets.UTF_8);
                return all.length() <= 4000 ? all : all.substring(all.length() - 4000);
            } catch (IOException e) {
                return "(console log unreadable: " + e + ")";
            }
        }

        /** Destroys domain {@code id} if it is still there (by its id), then stops xenconsoled by its pid. */
        void close(int id) throws IOException, InterruptedException {
            try {
                if (id > 0 && exists(id)) {
                    xl(60, "destroy", String.valueOf(id));
                }
            } finally {
                consoled.destroy();
                if (!consoled.waitFor(10, TimeUnit.SECONDS)) {
                    consoled.destroyForcibly();
                }
            }
        }

        private String xl(long seconds, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(keys.get("XL")));
            command.addAll(List.of(args));
            return run(command, environment(keys), seconds);
        }

        /** Runs a command to its end within {@code seconds}; its stdout, or IOException with all its output. */
        private static String run(List<String> command, Map<String, String> env, long seconds)
                throws IOException, InterruptedException {
            Path out = Files.createTempFile("toolstack", ".out");
            Path err = Files.createTempFile("toolstack", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not end in " + seconds + " s: " + Files.readString(err));
            }
            String stdout = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IOException(command + " exited " + p.exitValue() + ": " + stdout + Files.readString(err));
            }
            return stdout;
        }
    }
}
