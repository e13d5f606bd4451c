package org.jxenbus.itests.osgi.it;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.streamBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.CoreOptions.vmOption;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.stream.Stream;

import org.junit.ClassRule;
import org.junit.rules.TestRule;
import org.junit.runners.model.Statement;
import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.XenstoreOperations;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleReference;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A forked Felix with Declarative Services, Config Admin, JNA and our bundles, next to a real xenstored that
 * the driver starts for each test class ({@link XenstoredOnDriver}) and stops by pid when the class is done.
 * The container learns where the daemon is from system properties: {@value #SOCKET} (its unix socket),
 * {@value #RING} (dom0's ring of the same daemon) and {@value #HOST_DIR} (the fake host's folder).
 *
 * <p>Pax Exam runs the class's JUnit statements in both JVMs: class rules, too, run in the container, so
 * whatever touches the daemon's process checks {@link #onDriver()} first.
 */
public abstract class FelixContainer {

    static final String SOCKET = "jxenbus.it.socket";
    static final String RING = "jxenbus.it.ring";
    static final String HOST_DIR = "jxenbus.it.hostdir";
    static final String CONSUMER_BUNDLE = "jxenbus.it.consumer";
    static final String STORE_PID = "org.jxenbus.xenstore";
    static final long WAIT_MILLIS = 30_000;

    /**
     * On the driver: stops the class's xenstored after its last test. In the container: a failure whose
     * classes the driver cannot load (our exceptions travel back over RMI) is handed on as an AssertionError
     * carrying the whole stack trace as text.
     */
    @ClassRule
    public static final TestRule XENSTORED_STOPS_AFTER_THE_CLASS = (base, description) -> new Statement() {
        @Override
        public void evaluate() throws Throwable {
            try {
                base.evaluate();
            } catch (Throwable t) {
                throw onDriver() ? t : portable(t);
            } finally {
                if (onDriver()) {
                    XenstoredOnDriver.stopFor(description.getTestClass());
                }
            }
        }
    };

    private static Throwable portable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String name = c.getClass().getName();
            if (!name.startsWith("java.") && !name.startsWith("org.junit.")) {
                java.io.StringWriter trace = new java.io.StringWriter();
                t.printStackTrace(new java.io.PrintWriter(trace));
                return new AssertionError(trace.toString());
            }
        }
        return t;
    }

    /** Driver side: the container, and a running xenstored for this class. */
    @Configuration
    public Option[] container() throws IOException {
        FakeXenHost host = XenstoredOnDriver.hostFor(getClass(), guests());
        List<Option> options = new ArrayList<>(List.of(
                junitBundles(),
                systemTimeout(WAIT_MILLIS),
                vmOption("-Djna.tmpdir=" + Files.createDirectories(host.dir().resolve("jna"))),
                vmOption("-Xmx512m"),
                // Pax Exam's pax-logging-api takes over java.util.logging (where System.Logger goes): INFO and up.
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("INFO"),
                systemProperty(SOCKET).value(host.socketUri().toString()),
                systemProperty(RING).value(host.dom0RingUri().toString()),
                systemProperty(HOST_DIR).value(host.dir().toString()),
                systemProperty(CONSUMER_BUNDLE).value(required("consumer.bundle")),
                systemProperty("jxenbus.full").value(Boolean.toString(Boolean.getBoolean("jxenbus.full")))));
        for (Path jar : jars("runtime.dir")) {
            options.add(bundle(jar.toUri().toString()));
        }
        for (Path jar : jars("bundles.dir")) {
            options.add(bundle(jar.toUri().toString()));
        }
        options.add(streamBundle(new ByteArrayInputStream(testSupportBundle())));
        return options(options.toArray(Option[]::new));
    }

    /** Driver side: the guest domains xenstored knows before the container starts (none unless a class says). */
    int[] guests() {
        return new int[0];
    }

    /** Whether this code runs in the driver's JVM (not loaded by a bundle). */
    static boolean onDriver() {
        return !(FelixContainer.class.getClassLoader() instanceof BundleReference);
    }

    /**
     * The test bed's own jar as a bundle, so that tests in the container can put a {@code ReorderingProxy}
     * between the runtime and xenstored.
     */
    private static byte[] testSupportBundle() {
        Path jar;
        try {
            jar = Path.of(FakeXenHost.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return BundleJars.rewrite(jar, (Attributes a) -> {
            a.putValue("Bundle-ManifestVersion", "2");
            a.putValue("Bundle-SymbolicName", "org.jxenbus.itests.test-support");
            a.putValue("Bundle-Version", "0.1.0");
            a.putValue("Export-Package", "org.jxenbus.testsupport");
            a.putValue("Import-Package", "org.jxenbus.xenstore.spi.wire,org.jxenbus.xenstore.api,"
                    + "org.junit.jupiter.api;resolution:=optional,org.junit.jupiter.api.extension;resolution:=optional");
        });
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("-D" + property + " is not set (failsafe sets it)");
        }
        return value;
    }

    private static List<Path> jars(String property) {
        try (Stream<Path> s = Files.list(Path.of(required(property)))) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- container side ----

    /** The probe's own context (the bundle Pax Exam made of the test classes). */
    BundleContext context() {
        return FrameworkUtil.getBundle(getClass()).getBundleContext();
    }

    static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException(name + " was not handed to the container");
        }
        return value;
    }

    /** The installed bundle named {@code bsn}. */
    Bundle installed(String bsn) {
        for (Bundle b : context().getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
    }

    /** Replaces the store configuration (PID {@value #STORE_PID}) with {@code properties}. */
    void configureStore(Map<String, ?> properties) throws IOException {
        ConfigurationAdmin admin = awaitService(ConfigurationAdmin.class);
        Dictionary<String, Object> d = new Hashtable<>(properties);
        admin.getConfiguration(STORE_PID, "?").update(d);
    }

    /**
     * The service of {@code type} as this probe bundle gets it, waiting for it at most {@value #WAIT_MILLIS}
     * ms. The probe keeps using it until the test ends (bundle-scoped services stay the same object).
     */
    <T> T awaitService(Class<T> type) {
        await(type.getName() + " registered", WAIT_MILLIS, () -> context().getServiceReference(type) != null);
        ServiceReference<T> ref = context().getServiceReference(type);
        T service = context().getService(ref);
        if (service == null) {
            throw new AssertionError(type.getName() + " went away while getting it");
        }
        return service;
    }

    /** Polls {@code condition} every 10 ms for at most {@code millis}. */
    static void await(String what, long millis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + millis + " ms: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** Waits until {@code path} holds {@code expected} (null: until it exists), returns its value. */
    static String awaitValue(XenstoreOperations xs, String path, String expected) {
        String[] seen = new String[1];
        await(path + (expected == null ? " to exist" : " = " + expected), WAIT_MILLIS, () -> {
            try {
                seen[0] = xs.read(path);
                return expected == null || expected.equals(seen[0]);
            } catch (NoSuchNodeException e) {
                return false;
            }
        });
        return seen[0];
    }
}
