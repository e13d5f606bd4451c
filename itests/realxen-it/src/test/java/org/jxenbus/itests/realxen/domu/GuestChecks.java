package org.jxenbus.itests.realxen.domu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jxenbus.guest.agent.internal.DomainHome;
import org.jxenbus.guest.agent.internal.GuestAgent;
import org.jxenbus.guest.agent.internal.StoreVifDevices;
import org.jxenbus.guest.agent.internal.linux.LinuxGuestFacts;
import org.jxenbus.xenbus.probe.internal.BusOptions;
import org.jxenbus.xenbus.probe.internal.DeviceBus;
import org.jxenbus.xenbus.probe.internal.DeviceListener;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.api.device.XenbusBus;
import org.jxenbus.xenstore.api.device.XenbusDevice;
import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.api.watch.OwnedWatchService;

/**
 * What the PV domU runs (its initramfs's {@code /job/run}, itests/realxen/domu-job.sh): jxenbus over
 * {@code xenbus:} as an unprivileged guest. It observes and reports; dom0 judges ({@code GuestDomainInDom0Test}
 * asserts each report against what dom0 knows: the domid xl gave, its own nodes, the vif xl made).
 *
 * <p>Each observation goes to {@code data/jxenbus-checks/<name>} (relative, so under the guest's own home) and to
 * the console (hvc0, which xenconsoled logs in dom0). Then {@code done}; then the guest agent keeps running until
 * dom0 writes {@code collected} (or {@value #COLLECT_SECONDS} s pass), so dom0 reads the agent's nodes from a live
 * guest; then it exits, and /init powers the domain off.
 */
public final class GuestChecks {

    /** The guest's report folder, relative to its home. */
    public static final String CHECKS = "data/jxenbus-checks";
    /** dom0 writes it under {@link #CHECKS} once it has read the reports. */
    public static final String COLLECTED = "collected";
    /** The node of dom0's that the guest must not read or write (dom0 writes it with the default perms n0). */
    public static final String DOM0_SECRET = "/local/domain/0/data/jxenbus-secret";
    /**
     * Long: dom0 saves and restores the guest before it collects, and a restored PV guest's monotonic clock jumps
     * by the time it spent saved.
     */
    static final long COLLECT_SECONDS = 900;
    private static final long WAIT_SECONDS = 90;

    private final XenstoreConnection xs;

    private GuestChecks(XenstoreConnection xs) {
        this.xs = xs;
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        ProcessHandle.current().info().startInstant().ifPresent(start -> System.out.println(
                "domu-checks: JVM up after " + Duration.between(start, Instant.now()).toMillis() + " ms"));
        // The String form: java.net.URI refuses "xenbus:" (no scheme-specific part).
        try (XenstoreConnection xs = Xenstore.open("xenbus:")) {
            GuestChecks checks = new GuestChecks(xs);
            checks.report("connection", xs.describe());
            checks.run();
            checks.report("done", "after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
        }
        System.out.println("domu-checks: exit");
    }

    private void run() throws InterruptedException {
        observe("domid", () -> xs.read("domid"));
        observe("domain-path", () -> xs.getDomainPath(Integer.parseInt(xs.read("domid"))));
        observe("own-subtree", this::ownSubtree);
        observe("dom0-read", () -> xs.read(DOM0_SECRET));
        observe("dom0-write", () -> {
            xs.write(DOM0_SECRET, "written by a guest");
            return "written";
        });
        observe("dom0-directory", () -> String.join(",", xs.directory("/local/domain/0/data")));
        try (OwnedWatchService watches = Xenstore.watches(xs);
                DeviceBus frontend = DeviceBus.start(XenbusBus.FRONTEND, xs, watches,
                        BusOptions.defaults(XenbusBus.FRONTEND), NO_LISTENER)) {
            observe("frontend-vif", () -> connectedVif(frontend::devices));
            try (GuestAgent agent = new GuestAgent(xs, new LinuxGuestFacts(), new StoreVifDevices(xs,
                    DomainHome.relative()), DomainHome.relative(), Duration.ofSeconds(60),
                    Clock.systemDefaultZone())) {
                agent.start();
                observe("agent", () -> {
                    await("the agent's first publication", () -> agent.publications() > 0);
                    return "publications " + agent.publications();
                });
                report("ready", "waiting for dom0");
                awaitCollected();
            }
        }
    }

    /** Writes with a relative path, reads it back and lists its folder; dom0 reads the node by its absolute path. */
    private String ownSubtree() throws InterruptedException {
        String value = "written by the guest over xenbus:";
        xs.write(CHECKS + "/written", value);
        List<String> names = xs.directory(CHECKS);
        return "read back '" + xs.read(CHECKS + "/written") + "', listed " + names.contains("written");
    }

    /** The frontend bus's vif 0 once both ends are connected, as {@code type/id otherend otherendId states}. */
    private static String connectedVif(Supplier<Collection<XenbusDevice>> devices) throws InterruptedException {
        await("vif 0 connected on the frontend bus", () -> vif(devices.get())
                .filter(d -> d.state() == XenbusState.CONNECTED && d.otherendState() == XenbusState.CONNECTED)
                .isPresent());
        return describe(vif(devices.get()).orElseThrow());
    }

    /** A device as both ends report it: {@code type/id nodename otherend P otherend-id N state S otherend-state S}. */
    public static String describe(XenbusDevice d) {
        return d.type() + "/" + d.id() + " " + d.nodename() + " otherend " + d.otherend() + " otherend-id "
                + d.otherendId() + " state " + d.state() + " otherend-state " + d.otherendState();
    }

    private static Optional<XenbusDevice> vif(Collection<XenbusDevice> devices) {
        return devices.stream().filter(d -> d.type().equals("vif") && d.id().equals("0")).findFirst();
    }

    private void awaitCollected() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COLLECT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (xs.exists(CHECKS + "/" + COLLECTED)) {
                System.out.println("domu-checks: dom0 collected the reports");
                return;
            }
            Thread.sleep(200);
        }
        System.out.println("domu-checks: dom0 did not collect the reports in " + COLLECT_SECONDS + " s");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, WAIT_SECONDS, condition);
    }

    /** Polls {@code condition} until it holds; IllegalStateException after {@code seconds}. Also GuestHotSwap's. */
    static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " in " + seconds + " s");
            }
            Thread.sleep(100);
        }
    }

    /** Reports what {@code observation} returned, or the exception it threw (class and xenstore error name). */
    private void observe(String name, Observation observation) throws InterruptedException {
        String value;
        try {
            value = observation.get();
        } catch (XenstoreException e) {
            value = "threw " + e.getClass().getSimpleName() + " " + e.errorName();
        } catch (RuntimeException e) {
            value = "threw " + e;
        }
        report(name, value);
    }

    private void report(String name, String value) {
        System.out.println("domu-checks: " + name + ": " + value + " [uptime " + uptime() + " s]");
        xs.write(CHECKS + "/" + name, value);
    }

    /** The guest's uptime, to time the checks on its console. */
    private static String uptime() {
        try {
            return Files.readString(Path.of("/proc/uptime")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    @FunctionalInterface
    private interface Observation {
        String get() throws InterruptedException;
    }

    /** For a bus whose devices are read with {@link DeviceBus#devices()}: listens to nothing. */
    public static final DeviceListener NO_LISTENER = new DeviceListener() {
        @Override
        public void added(XenbusDevice device) {
        }

        @Override
        public void changed(XenbusDevice device) {
        }

        @Override
        public void removed(XenbusDevice device) {
        }
    };
}
