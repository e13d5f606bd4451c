package org.jxenbus.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * One simulated Xen host as {@code shared/FAKE-HYPERVISOR.md} defines it: a folder D with dom0's ring
 * file, the event-channel FIFOs, {@code xsd_port}, and the real C xenstored running on the LD_PRELOAD shim,
 * serving {@code D/socket}. Started and stopped by pid, never by name.
 *
 * <p>With {@code -Djxenbus.server=sim} the daemon is the Java simulator ({@code bundles/xenstore-sim}'s
 * {@code xenstored-sim}) instead, in its own JVM on this JVM's class path, serving the same socket and rings
 * of the same folder, so stop, kill, restart, pause and resume act on its pid exactly as on xenstored's.
 *
 * <p>Usable from any test framework; {@link XenstoredExtension} wraps it for JUnit 5. Thread-safe for the
 * lifecycle methods.
 */
public final class FakeXenHost implements AutoCloseable {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "fakexen-cleanup"));
    }

    /** The simulator's launcher, run with this JVM's class path (xenstore-sim must be on it). */
    private static final String SIM_MAIN = "org.jxenbus.xenstore.sim.internal.launcher.XenstoredSimMain";

    private XenTools tools;
    private final Path dir;
    private final boolean ownsDir;
    private final List<String> extraArgs;
    private Process xenstored;

    private FakeXenHost(XenTools tools, Path dir, boolean ownsDir, List<String> extraArgs) {
        this.tools = tools;
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.extraArgs = extraArgs;
    }

    /**
     * Whether the suites run against the simulator ({@code -Djxenbus.server=sim}) rather than the C xenstored
     * ({@code xenstored}, the default).
     */
    public static boolean simulated() {
        String server = System.getProperty("jxenbus.server", "xenstored");
        switch (server) {
            case "xenstored":
                return false;
            case "sim":
                return true;
            default:
                throw new IllegalStateException("unknown -Djxenbus.server=" + server + " (xenstored or sim)");
        }
    }

    /**
     * Provisions the tools if needed and starts xenstored (or the simulator, see {@link #simulated}) in a new
     * temporary folder. The extra arguments are xenstored's options; the simulator takes the same quota
     * options ({@code -E -S -W -t -A -M -Q -q -w}).
     */
    public static FakeXenHost start(String... extraXenstoredArgs) {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "jxb-");
            FakeXenHost h = new FakeXenHost(simulated() ? null : XenTools.provision(), dir, true,
                    List.of(extraXenstoredArgs));
            h.startDaemon();
            return h;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the host folder: " + e.getMessage(), e);
        }
    }

    /** The host folder D. */
    public Path dir() {
        return dir;
    }

    /** xenstored's unix socket, {@code D/socket}. */
    public Path socket() {
        return dir.resolve("socket");
    }

    /** The socket as a jxenbus URI, {@code unix:D/socket}. */
    public URI socketUri() {
        return URI.create("unix:" + socket());
    }

    /** Dom0's ring on this host as a jxenbus URI, {@code ring:fake:D?domid=0}. */
    public URI dom0RingUri() {
        return URI.create("ring:fake:" + dir + "?domid=0");
    }

    /** Guest {@code domid}'s ring as a jxenbus URI (introduce it first). */
    public URI guestRingUri(int domid) {
        return URI.create("ring:fake:" + dir + "?domid=" + domid);
    }

    /**
     * The URI the shared suites use: dom0's socket, or dom0's ring when {@code -Djxenbus.transport=ring}
     * (the same suite runs once per transport).
     */
    public URI clientUri() {
        String transport = System.getProperty("jxenbus.transport", "socket");
        switch (transport) {
            case "socket":
                return socketUri();
            case "ring":
                return dom0RingUri();
            default:
                throw new IllegalStateException("unknown -Djxenbus.transport=" + transport + " (socket or ring)");
        }
    }

    /** The provisioned binaries (provisioned on first use when the daemon is the simulator). */
    public synchronized XenTools tools() {
        if (tools == null) {
            tools = XenTools.provision();
        }
        return tools;
    }

    /** xenstored's pid. */
    public synchronized long pid() {
        return xenstored.pid();
    }

    /** Whether xenstored is running. */
    public synchronized boolean running() {
        return xenstored != null && xenstored.isAlive();
    }

    /**
     * Lets unprivileged guest {@code domid} join: a zeroed {@code D/dom<N>.ring}, the FIFO
     * {@code D/dom<N>.evtchn}, then INTRODUCE over the privileged socket.
     */
    public void introduceGuest(int domid, int port) throws IOException {
        Files.write(dir.resolve("dom" + domid + ".ring"), new byte[4096]);
        Path fifo = dir.resolve("dom" + domid + ".evtchn");
        if (!Files.exists(fifo)) {
            exec("mkfifo", "-m", "600", fifo.toString());
        }
        try (RawXsClient c = new RawXsClient(socket())) {
            c.call(XsMessageType.XS_INTRODUCE, Integer.toString(domid), "0", Integer.toString(port));
        }
    }

    /** Stops xenstored with SIGTERM (SIGKILL after 5 s) by its pid, thawing it first if paused. */
    public synchronized void stop() {
        if (xenstored == null) {
            return;
        }
        signal("CONT");
        xenstored.destroy();
        try {
            if (!xenstored.waitFor(5, TimeUnit.SECONDS)) {
                xenstored.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(xenstored);
        xenstored = null;
    }

    /** Kills xenstored with SIGKILL, as a crash would, and waits until it is gone. */
    public synchronized void kill() {
        if (xenstored == null) {
            return;
        }
        xenstored.destroyForcibly();
        try {
            xenstored.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(xenstored);
        xenstored = null;
    }

    /** Starts xenstored again in the same folder (after {@link #stop} or {@link #kill}). */
    public synchronized void restart() {
        stop();
        startDaemon();
    }

    /** Freezes xenstored (SIGSTOP): it keeps its socket but answers nothing. No-op if not running. */
    public void pause() {
        signal("STOP");
    }

    /** Thaws xenstored (SIGCONT). No-op if not running. */
    public void resume() {
        signal("CONT");
    }

    @Override
    public synchronized void close() {
        stop();
        if (ownsDir) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: a temp folder left behind is harmless
            }
        }
    }

    private synchronized void startDaemon() {
        try {
            Files.write(dir.resolve("dom0.ring"), new byte[4096]);
            Files.writeString(dir.resolve("xsd_port"), "1\n");
            if (!Files.exists(dir.resolve("dom0.evtchn"))) {
                exec("mkfifo", "-m", "600", dir.resolve("dom0.evtchn").toString());
            }
            Files.deleteIfExists(socket());
            ProcessBuilder pb = simulated() ? simulatorCommand() : xenstoredCommand();
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("xenstored.log").toFile()));
            pb.redirectErrorStream(true);
            xenstored = pb.start();
            RUNNING.add(xenstored);
            Files.writeString(dir.resolve("xenstored.pid"), xenstored.pid() + "\n");
            // a JVM on a busy 2-core machine takes longer to answer than xenstored does
            awaitReady(Duration.ofSeconds(simulated() ? 30 : 10));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start xenstored in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The C xenstored on the LD_PRELOAD shim, as shared/FAKE-HYPERVISOR.md starts it. */
    private ProcessBuilder xenstoredCommand() {
        List<String> cmd = new ArrayList<>(List.of(tools.xenstored().toString(), "-N"));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LD_PRELOAD", tools.shim().toString());
        pb.environment().put("LD_LIBRARY_PATH", tools.libDir().toString());
        pb.environment().put("FAKEXEN_DIR", dir.toString());
        pb.environment().put("XENSTORED_RUNDIR", dir.toString());
        pb.environment().put("XENSTORED_PATH", socket().toString());
        return pb;
    }

    /**
     * The simulator in xenstored's place: the same socket, dom0's ring and introduced guests' rings of D, in a
     * JVM of its own so that signals reach it by pid.
     */
    private ProcessBuilder simulatorCommand() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"), SIM_MAIN,
                "--socket", socket().toString(), "--rings", dir.toString(), "--dom0-ring"));
        cmd.addAll(extraArgs);
        return new ProcessBuilder(cmd);
    }

    private void awaitReady(Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!xenstored.isAlive()) {
                throw new IOException("xenstored exited with " + xenstored.exitValue() + "; see "
                        + dir.resolve("xenstored.log") + ":\n" + tail());
            }
            if (Files.exists(socket())) {
                try (RawXsClient c = new RawXsClient(socket())) {
                    c.request(XsMessageType.XS_GET_DOMAIN_PATH, 0, org.jxenbus.xenstore.spi.wire.Payloads.strings("0"));
                    return;
                } catch (IOException e) {
                    last = e;
                }
            }
            sleep(20);
        }
        xenstored.destroyForcibly();
        throw new IOException("xenstored did not answer on " + socket() + " within " + within, last);
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("xenstored.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private synchronized void signal(String name) {
        if (xenstored == null || !xenstored.isAlive()) {
            return;
        }
        exec("kill", "-" + name, Long.toString(xenstored.pid()));
        if (name.equals("STOP")) {
            awaitStopped(xenstored.pid());
        }
    }

    /**
     * Waits until every thread of {@code pid} is stopped: {@code kill} returns once the signal is sent, and a
     * busy process (the simulator's JVM above all) goes on answering on another core until each of its threads
     * takes it; a test that pauses the daemon must not see an answer after {@link #pause} returns.
     */
    private static void awaitStopped(long pid) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!allThreadsStopped(pid)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("process " + pid + " not stopped 5 s after SIGSTOP");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean allThreadsStopped(long pid) {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended
                }
                char state = stat.charAt(stat.lastIndexOf(')') + 2);
                if (state != 'T' && state != 't') {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return true; // the process is gone: nothing answers
        }
    }

    private static void exec(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FakeXenHost[" + dir + "]";
    }
}
