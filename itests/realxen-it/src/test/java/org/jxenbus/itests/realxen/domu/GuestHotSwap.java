package org.jxenbus.itests.realxen.domu;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.jxenbus.testsupport.CheckedLoad;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.XenstoreStatus;
import org.jxenbus.xenstore.client.Xenstore;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * What the PV domU runs first (itests/realxen/domu-job.sh): the jxenbus runtime in an embedded Felix, with
 * Declarative Services and Config Admin naming the store {@code xenbus:}, as an agent's deployment in a guest has
 * it. {@link CheckedLoad}'s threads load the XenstoreService (each reply checked against a model, each thread's
 * transactions counting) while the transport bundle serving {@code xenbus:} is stopped and started, then updated
 * to a new revision, {@value #ROUNDS} times; a raw watch set before the rounds must fire after each. At the first
 * stop a transaction of its own is open too, so the device is surely closed with one open (dom0 then checks, with
 * {@code xl save}, that the guest can still suspend).
 *
 * <p>It observes and reports, as {@link GuestChecks} does: one line of {@code name=value} pairs in
 * {@code data/jxenbus-checks/}{@value #REPORT} (written through the runtime's own XenstoreService) and on the
 * console; dom0 judges it ({@code GuestDomainInDom0Test}). The launcher shares the API with the bundles: the
 * framework exports the API jar's packages from the class path ({@code org.osgi.framework.system.packages.extra}),
 * so the API bundle itself is not installed.
 */
public final class GuestHotSwap {

    /** The report's name under {@link GuestChecks#CHECKS}. */
    public static final String REPORT = "hot-swap";
    /**
     * Where domu-initrd.sh puts the bundles (realxen-it's target/domu-bundles). The three properties let the same
     * run be tried on a host: another folder, store and transport bundle.
     */
    static final Path BUNDLES = Path.of(System.getProperty("hotswap.bundles", "/job/bundles"));
    private static final String STORE = System.getProperty("hotswap.store", "xenbus:");
    private static final String TRANSPORT_BSN = System.getProperty("hotswap.transport", "org.jxenbus.transport.xenbus");
    public static final int ROUNDS = 3;
    private static final int THREADS = 4;
    private static final String STORE_PID = "org.jxenbus.xenstore";
    private static final String CONFIG_ADMIN_BSN = "org.apache.felix.configadmin";
    private static final long REQUEST_TIMEOUT_MILLIS = 20_000;
    private static final long WAIT_SECONDS = Long.getLong("hotswap.wait", 120);
    private static final String ROOT = "data/jxenbus-hot-swap";
    private static final String BEACONS = ROOT + "/beacons";

    private final Map<String, Object> report = new LinkedHashMap<>();

    private GuestHotSwap() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        say("starting Felix");
        Framework framework = new FrameworkFactory().newFramework(frameworkConfig());
        GuestHotSwap hotSwap = new GuestHotSwap();
        framework.start();
        try {
            hotSwap.run(framework.getBundleContext(), t0);
        } catch (Exception | AssertionError e) {
            hotSwap.report.put("error", e.toString().replace(' ', '_'));
            say("failed: " + e);
        } finally {
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
            say("Felix stopped after " + millisSince(t0) + " ms");
        }
        hotSwap.report.put("seconds", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
        StringJoiner line = new StringJoiner(" ");
        hotSwap.report.forEach((k, v) -> line.add(k + "=" + v));
        say(REPORT + ": " + line);
        // through a connection of the class path's, once Felix is gone: the report must not depend on the
        // runtime it reports on
        try (XenstoreConnection reporter = Xenstore.open(STORE)) {
            reporter.write(GuestChecks.CHECKS + "/" + REPORT, line.toString());
        }
    }

    private void run(BundleContext ctx, long t0) throws Exception {
        Bundle transport = installAndStart(ctx,
                Map.of("uri", STORE, "requestTimeoutMillis", REQUEST_TIMEOUT_MILLIS));
        XenstoreService xs = service(ctx, XenstoreService.class);
        XenstoreStatus status = service(ctx, XenstoreStatus.class);
        report.put("started-ms", millisSince(t0));
        report.put("store", status.store());
        say("XenstoreService up after " + millisSince(t0) + " ms, store " + status.store());
        swapUnderLoad(ctx, xs, status, transport);
    }

    private void swapUnderLoad(BundleContext ctx, XenstoreService xs, XenstoreStatus status, Bundle transport)
            throws Exception {
        xs.mkdir(ROOT);
        xs.rm(ROOT);
        xs.mkdir(BEACONS);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        RawWatch watch = xs.watch(BEACONS, e -> seen.add(e.path()));
        CheckedLoad load = new CheckedLoad(xs, ROOT + "/load", THREADS, REQUEST_TIMEOUT_MILLIS * 2);
        long swapsBefore = status.transportSwaps();
        int stops = 0;
        int updates = 0;
        int beacons = 0;
        try {
            awaitProgress(load);
            for (int r = 1; r <= ROUNDS; r++) {
                // The first stop comes with a transaction surely open on the device (the load's may or may not
                // be): closing the device must not leave the guest unable to suspend, which dom0's xl save
                // checks afterwards (XenbusTransport.close).
                Transaction held = r == 1 ? xs.beginTransaction() : null;
                if (held != null) {
                    held.write(ROOT + "/held", "open when its transport bundle stops");
                }
                load.unplannedBegins();
                transport.stop();
                Thread.sleep(100);
                transport.start();
                awaitRecovered(load, status);
                load.unplannedEnds();
                if (held != null) {
                    report.put("held-transaction", heldOutcome(held));
                }
                stops++;
                long modified = transport.getLastModified();
                load.unplannedBegins();
                transport.update();
                refresh(ctx);
                awaitRecovered(load, status);
                load.unplannedEnds();
                if (transport.getLastModified() > modified && transport.getState() == Bundle.ACTIVE
                        && transport.getRegisteredServices() != null) {
                    updates++;
                }
                String beacon = BEACONS + "/r" + r;
                xs.write(beacon, Integer.toString(r));
                // relative as the watch was set (xenstored answers in kind); absolute would do too
                await("the raw watch set before the rounds to fire after round " + r,
                        () -> seen.stream().anyMatch(p -> p.equals(beacon) || p.endsWith("/" + beacon)));
                beacons++;
                say("round " + r + " done: " + load);
            }
        } finally {
            List<String> hung = load.stop(REQUEST_TIMEOUT_MILLIS * 3);
            watch.close();
            report.put("rounds", ROUNDS);
            report.put("stops", stops);
            report.put("updates", updates);
            report.put("beacons", beacons);
            report.put("swaps", status.transportSwaps() - swapsBefore);
            report.put("calls", load.total());
            for (CheckedLoad.Outcome o : CheckedLoad.Outcome.values()) {
                report.put(o.name().toLowerCase(), load.count(o));
            }
            StringJoiner errors = new StringJoiner(",");
            new java.util.TreeMap<>(status.metrics().errorsByName()).forEach((e, n) -> errors.add(e + ":" + n));
            report.put("server-errors", errors.length() == 0 ? "none" : errors.toString());
            report.put("hung", hung.size());
            report.put("failures", load.failures().size());
            load.failures().forEach(f -> say("failure: " + f));
            hung.forEach(t -> say("hung: " + t));
        }
    }

    /** How a transaction open across a stop of its transport ends: it cannot commit. */
    private static String heldOutcome(Transaction held) {
        try {
            held.commit();
            return "committed";
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        } finally {
            held.close();
        }
    }

    /** The store is on its transport again and every load thread completed a call since. */
    private static void awaitRecovered(CheckedLoad load, XenstoreStatus status) throws InterruptedException {
        String scheme = STORE.substring(0, STORE.indexOf(':'));
        await("the store back on " + scheme, () -> scheme.equals(status.transport()));
        awaitProgress(load);
    }

    private static void awaitProgress(CheckedLoad load) throws InterruptedException {
        long[] before = load.completed();
        await("every load thread to complete a call", () -> {
                    long[] now = load.completed();
                    for (int i = 0; i < now.length; i++) {
                        if (now[i] <= before[i]) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** What an administrator does after an update: refresh, so the old revision goes. */
    private static void refresh(BundleContext ctx) throws InterruptedException {
        CountDownLatch refreshed = new CountDownLatch(1);
        ctx.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(null, e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        if (!refreshed.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("no refresh in " + WAIT_SECONDS + " s");
        }
    }

    /**
     * Installs every bundle of {@link #BUNDLES} and starts Config Admin, gives it the store's configuration, then
     * starts the rest; returns the transport bundle. The configuration is there before the runtime starts, as
     * File Install's is in the distribution: in a guest, the runtime would otherwise discover {@code xenbus:}
     * at once, register its service, and replace it when a configuration with other options came.
     */
    private static Bundle installAndStart(BundleContext ctx, Map<String, Object> store) throws Exception {
        List<Bundle> installed = new ArrayList<>();
        try (Stream<Path> jars = Files.list(BUNDLES)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                installed.add(ctx.installBundle(jar.toUri().toString()));
            }
        }
        named(installed, CONFIG_ADMIN_BSN).start();
        configure(ctx, store);
        for (Bundle b : installed) {
            b.start();
        }
        return named(installed, TRANSPORT_BSN);
    }

    private static Bundle named(List<Bundle> installed, String bsn) {
        return installed.stream().filter(b -> bsn.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + bsn + " in " + BUNDLES));
    }

    /** Config Admin through reflection (its API is the bundle's, not the class path's). */
    private static void configure(BundleContext ctx, Map<String, Object> properties) throws Exception {
        Object admin = ctx.getService(reference(ctx, "org.osgi.service.cm.ConfigurationAdmin"));
        Object configuration = admin.getClass().getMethod("getConfiguration", String.class, String.class)
                .invoke(admin, STORE_PID, "?");
        Dictionary<String, Object> d = new Hashtable<>(properties);
        configuration.getClass().getMethod("update", Dictionary.class).invoke(configuration, d);
    }

    private static <T> T service(BundleContext ctx, Class<T> type) throws InterruptedException {
        return type.cast(ctx.getService(reference(ctx, type.getName())));
    }

    private static ServiceReference<?> reference(BundleContext ctx, String type) throws InterruptedException {
        ServiceReference<?>[] found = new ServiceReference<?>[1];
        // all references: getServiceReference does not hand the system bundle the status (registered under an
        // internal class of the core's too); its API class is the class path's either way, as the cast shows
        await(type + " registered", () -> {
            try {
                ServiceReference<?>[] all = ctx.getAllServiceReferences(type, null);
                found[0] = all == null ? null : all[0];
                return found[0] != null;
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
        return found[0];
    }

    /** Felix in /tmp, exporting the API jar's packages from the class path, the launcher's own. */
    private static Map<String, String> frameworkConfig() throws IOException, URISyntaxException {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, "/tmp/felix-cache");
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiExports());
        config.put("felix.log.level", "1");
        return config;
    }

    private static String apiExports() throws IOException, URISyntaxException {
        Path jar = Path.of(XenstoreService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile file = new JarFile(jar.toFile())) {
            String exports = file.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
            if (exports == null) {
                throw new IllegalStateException(jar + " exports nothing");
            }
            return exports;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        GuestChecks.await(what, WAIT_SECONDS, condition);
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static void say(String what) {
        System.out.println("domu-hot-swap: " + what);
    }
}
