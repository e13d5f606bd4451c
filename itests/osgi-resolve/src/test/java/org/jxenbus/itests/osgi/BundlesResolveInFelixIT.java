package org.jxenbus.itests.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

import org.apache.felix.framework.FrameworkFactory;
import org.jxenbus.testsupport.FakeXenHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The bundles resolve and start in Felix 7.0.5 with nothing but Declarative Services (SCR and the OSGi API
 * bundles it needs), Config Admin and JNA (itself a bundle): no SPI Fly. Proves the {@code osgi.serviceloader}
 * requirements bnd generated from the ServiceLoader annotations are optional, that implementation bundles export
 * nothing, and that the components come up: the transports register their providers, and once Config Admin
 * names a store the core connects and offers {@code XenstoreService} to each bundle. Gogo is not among them: a
 * headless agent runs without it. The shell bundle, the one that needs Gogo, is added with Gogo's runtime by its
 * own test.
 */
class BundlesResolveInFelixIT {

    @Test
    void everyBundleResolvesAndStartsWithoutSpiFly(@TempDir Path storage) throws Exception {
        Framework framework = start(storage);
        try {
            BundleContext ctx = framework.getBundleContext();
            List<Bundle> installed = installAndStart(ctx);
            for (Bundle b : installed) {
                assertEquals(Bundle.ACTIVE, b.getState(), b.getSymbolicName() + " is not active");
                assertTrue(b.getSymbolicName().startsWith("org.jxenbus.") || b.getSymbolicName().equals("com.sun.jna"),
                        b.getSymbolicName());
            }
            for (Bundle b : ctx.getBundles()) {
                assertTrue(!b.getSymbolicName().toLowerCase().contains("spifly"), "no SPI Fly: " + b);
            }
            assertExports(installed, "org.jxenbus.xenstore.core", List.of());
            assertExports(installed, "org.jxenbus.transport.socket", List.of());
            assertExports(installed, "org.jxenbus.xenstore.api", List.of("org.jxenbus.xenstore.api",
                    "org.jxenbus.xenstore.api.device", "org.jxenbus.xenstore.api.watch"));
            assertExports(installed, "org.jxenbus.xenstore.watch", List.of());
            assertExports(installed, "org.jxenbus.xenstore.spi", List.of("org.jxenbus.xenstore.spi.connection",
                    "org.jxenbus.xenstore.spi.ring", "org.jxenbus.xenstore.spi.transport", "org.jxenbus.xenstore.spi.wire"));
            assertExports(installed, "org.jxenbus.transport.ring", List.of("org.jxenbus.transport.ring.server"));
            assertExports(installed, "org.jxenbus.transport.xendev", List.of("org.jxenbus.transport.xendev"));
            assertExports(installed, "org.jxenbus.transport.xenbus", List.of());
            assertExports(installed, "org.jxenbus.xenstore.cli", List.of());
            assertExports(installed, "org.jxenbus.xenstore.client", List.of("org.jxenbus.xenstore.client"));
            assertEquals(3, awaitServices(ctx, "org.jxenbus.xenstore.spi.transport.TransportProvider", 3).length,
                    "the socket, ring and xenbus transports register their providers");
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    /**
     * Config Admin names the real xenstored's socket; the core connects and registers XenstoreService, bundle
     * scoped: two bundles get two distinct service objects over the one connection, and a write through one is
     * read through the other. Reflection only: the test's class path and the framework's bundles load the API
     * separately.
     */
    @Test
    void configAdminNamesTheStoreAndEachBundleGetsItsOwnXenstoreService(@TempDir Path storage) throws Exception {
        try (FakeXenHost host = FakeXenHost.start()) {
            Framework framework = start(storage);
            try {
                BundleContext ctx = framework.getBundleContext();
                List<Bundle> installed = installAndStart(ctx);
                configure(ctx, "org.jxenbus.xenstore", Map.of("uri", host.clientUri().toString()));
                ServiceReference<?> ref = awaitServices(ctx, "org.jxenbus.xenstore.api.XenstoreService", 1)[0];
                Bundle watchBundle = bundle(installed, "org.jxenbus.xenstore.watch");
                Bundle cliBundle = bundle(installed, "org.jxenbus.xenstore.cli");
                Object a = watchBundle.getBundleContext().getService(ref);
                Object b = cliBundle.getBundleContext().getService(ref);
                assertNotSame(a, b, "bundle scope: one service object per bundle");
                invoke(a, "write", "/osgi/greeting", "hello");
                assertEquals("hello", invoke(b, "read", "/osgi/greeting"));
                assertEquals(1, awaitServices(ctx, "org.jxenbus.xenstore.api.XenstoreStatus", 1).length);
                assertEquals(1, awaitServices(ctx, "org.jxenbus.xenstore.api.watch.WatchService", 1).length);
                ObjectName mbean = new ObjectName("org.jxenbus:type=Xenstore,name=shared");
                MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
                assertEquals(host.clientUri().toString(), jmx.getAttribute(mbean, "Store"));
                CompositeData[] byType = (CompositeData[]) ((javax.management.openmbean.TabularData) jmx.getAttribute(
                        mbean, "RequestsByType")).values().toArray(new CompositeData[0]);
                assertTrue(java.util.Arrays.stream(byType).anyMatch(c -> "WRITE".equals(c.get("key"))
                        && ((Long) c.get("value")) >= 1), "the MBean counts the WRITE");
                assertEquals(0, jmx.getAttribute(new ObjectName("org.jxenbus:type=WatchService,name=shared"),
                        "ServerWatches"), "the watch service's MBean: no watch set yet");
            } finally {
                framework.stop();
                framework.waitForStop(10_000);
            }
        }
    }

    /**
     * Watch events reach Event Admin only once configured (off by default), as CHANGED events carrying the
     * changed path and the watched one. The handler is registered from outside the framework through a proxy of
     * the framework's own EventHandler interface.
     */
    @Test
    void watchEventsReachEventAdminOnlyOnceConfigured(@TempDir Path storage) throws Exception {
        try (FakeXenHost host = FakeXenHost.start()) {
            Framework framework = start(storage);
            try {
                BundleContext ctx = framework.getBundleContext();
                List<Bundle> installed = installAndStart(ctx);
                configure(ctx, "org.jxenbus.xenstore", Map.of("uri", host.clientUri().toString()));
                ServiceReference<?> ref = awaitServices(ctx, "org.jxenbus.xenstore.api.XenstoreService", 1)[0];
                Object xs = bundle(installed, "org.jxenbus.xenstore.cli").getBundleContext().getService(ref);
                List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
                Bundle eventAdmin = java.util.Arrays.stream(ctx.getBundles())
                        .filter(b -> b.getSymbolicName().equals("org.apache.felix.eventadmin")).findFirst().orElseThrow();
                Class<?> handlerType = eventAdmin.loadClass("org.osgi.service.event.EventHandler");
                Object handler = java.lang.reflect.Proxy.newProxyInstance(handlerType.getClassLoader(),
                        new Class<?>[] {handlerType}, (proxy, method, args) -> {
                            if (method.getName().equals("handleEvent")) {
                                Object e = args[0];
                                seen.add(e.getClass().getMethod("getTopic").invoke(e) + " "
                                        + e.getClass().getMethod("getProperty", String.class).invoke(e, "path") + " "
                                        + e.getClass().getMethod("getProperty", String.class).invoke(e, "watch"));
                            }
                            return method.getName().equals("hashCode") ? System.identityHashCode(proxy)
                                    : method.getName().equals("equals") ? proxy == args[0] : null;
                        });
                ctx.registerService(handlerType.getName(), handler,
                        new Hashtable<>(Map.of("event.topics", "org/jxenbus/xenstore/watch/*")));
                invoke(xs, "write", "/ea/a", "before");
                Thread.sleep(300);
                assertEquals(List.of(), seen, "nothing is posted without configuration");
                configure(ctx, "org.jxenbus.xenstore.watch.eventadmin", Map.of("paths", new String[] {"/ea"}));
                awaitTrue(() -> seen.contains("org/jxenbus/xenstore/watch/CHANGED /ea /ea"), seen);
                invoke(xs, "write", "/ea/a", "after");
                awaitTrue(() -> seen.contains("org/jxenbus/xenstore/watch/CHANGED /ea/a /ea"), seen);
            } finally {
                framework.stop();
                framework.waitForStop(10_000);
            }
        }
    }

    /**
     * The shell bundle resolves and starts beside Gogo's runtime (and nothing else of Gogo's); once the store is
     * configured its DS components register the {@code xs} commands, and Gogo's command processor runs them over
     * the runtime's store: {@code xs:ls} prints what the real {@code xenstore-ls} prints, {@code xs:stat} names
     * the configured store.
     */
    @Test
    void theShellRunsItsXsCommandsThroughGogoOverTheRuntimesStore(@TempDir Path storage) throws Exception {
        try (FakeXenHost host = FakeXenHost.start()) {
            Framework framework = start(storage);
            try {
                BundleContext ctx = framework.getBundleContext();
                installAndStart(ctx);
                List<Bundle> shell = install(ctx, "shell.dir");
                for (Bundle b : shell) {
                    b.start();
                }
                assertExports(shell, "org.jxenbus.xenstore.shell", List.of());
                configure(ctx, "org.jxenbus.xenstore", Map.of("uri", host.clientUri().toString()));
                assertEquals(2, awaitServices(ctx, null, "(osgi.command.scope=xs)", 2).length,
                        "the store commands and xs:stat");
                Object processor = ctx.getService(awaitServices(ctx,
                        "org.apache.felix.service.command.CommandProcessor", null, 1)[0]);

                assertEquals("", gogo(processor, "xs:write /osgi/shell/a 1 /osgi/shell/b/c 'x\\ty'"));
                Process real = host.tools().xenstoreTool(host.socket(), "xenstore-ls", "/osgi/shell")
                        .redirectErrorStream(true).start();
                String expected = new String(real.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertEquals(0, real.waitFor());
                assertEquals("a = \"1\"\nb = \"\"\n c = \"x\\ty\"\n", expected);
                assertEquals(expected, gogo(processor, "xs:ls /osgi/shell"));
                String stat = gogo(processor, "xs:stat");
                assertTrue(stat.startsWith(String.format("%-22s %s%n", "store", host.clientUri())), stat);
            } finally {
                framework.stop();
                framework.waitForStop(10_000);
            }
        }
    }

    /** Runs {@code line} in a new session of Gogo's {@code processor}; returns what it printed (stdout and stderr). */
    private static String gogo(Object processor, String line) throws Exception {
        ClassLoader gogo = processor.getClass().getClassLoader();
        Class<?> processorType = Class.forName("org.apache.felix.service.command.CommandProcessor", false, gogo);
        Class<?> sessionType = Class.forName("org.apache.felix.service.command.CommandSession", false, gogo);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object session = processorType.getMethod("createSession", InputStream.class, OutputStream.class,
                OutputStream.class).invoke(processor, InputStream.nullInputStream(), out, out);
        try {
            sessionType.getMethod("execute", CharSequence.class).invoke(session, line);
        } finally {
            sessionType.getMethod("close").invoke(session);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * With nothing configured and no store on the machine, the simulator is taken as soon as every installed
     * transport bundle is active and bound, long before a two-minute discovery grace; a transport bundle that
     * is installed but not started (it may yet be started, and find a store) keeps the runtime waiting for the
     * whole grace instead.
     */
    @Test
    void withoutAStoreTheSimulatorWaitsOnlyForTransportBundlesNotYetStarted(@TempDir Path storage) throws Exception {
        assumeTrue(noStoreOnThisMachine(), "a xenstore is reachable here: discovery would take it");
        Framework framework = start(storage.resolve("all-started"));
        try {
            BundleContext ctx = framework.getBundleContext();
            installWithTheSimulator(ctx, "none");
            configure(ctx, "org.jxenbus.xenstore", Map.of("discoveryGraceMillis", 120_000L));
            ServiceReference<?> store = awaitServices(ctx, "org.jxenbus.xenstore.api.XenstoreStatus", 1)[0];
            assertEquals(Boolean.TRUE, store.getProperty("xenstore.simulated"), "the simulator, every transport "
                    + "bundle having found nothing");
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }

        framework = start(storage.resolve("ring-not-started"));
        try {
            BundleContext ctx = framework.getBundleContext();
            Bundle ring = installWithTheSimulator(ctx, "org.jxenbus.transport.ring");
            configure(ctx, "org.jxenbus.xenstore", Map.of("discoveryGraceMillis", 4_000L));
            awaitServices(ctx, "org.jxenbus.xenstore.spi.transport.TransportProvider", 3);
            Thread.sleep(2_000);
            assertEquals(Bundle.RESOLVED, ring.getState(), "the ring transport bundle is installed, not started");
            assertNull(ctx.getAllServiceReferences("org.jxenbus.xenstore.api.XenstoreStatus", null),
                    "no store chosen while a transport bundle is not started and the grace runs");
            ServiceReference<?> store = awaitServices(ctx, "org.jxenbus.xenstore.api.XenstoreStatus", 1)[0];
            assertEquals(Boolean.TRUE, store.getProperty("xenstore.simulated"), "the simulator after the grace");
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    /** Whether no xenstore is reachable here (as libxenstore looks), so discovery can only find the simulator. */
    private static boolean noStoreOnThisMachine() {
        return System.getenv("XENSTORED_PATH") == null
                && Stream.of("/run/xenstored/socket", "/var/run/xenstored/socket", "/dev/xen/xenbus",
                        "/proc/xen/xenbus").noneMatch(p -> Files.exists(Path.of(p)));
    }

    /**
     * Installs the runtime, our bundles and the simulator; starts all but the bundle {@code notStarted}
     * (which stays resolved); returns that bundle, or null.
     */
    private static Bundle installWithTheSimulator(BundleContext ctx, String notStarted) throws Exception {
        List<Bundle> all = install(ctx, "runtime.dir", "bundles.dir", "simulator.dir");
        Bundle left = null;
        for (Bundle b : all) {
            if (b.getSymbolicName().equals(notStarted)) {
                left = b;
                assertTrue(ctx.getBundle(0).adapt(org.osgi.framework.wiring.FrameworkWiring.class)
                        .resolveBundles(List.of(b)), notStarted + " resolves");
            } else {
                b.start();
            }
        }
        return left;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Object state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 30 s: " + state);
            }
            Thread.sleep(20);
        }
    }

    private static Framework start(Path storage) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("jna.tmpdir", storage.resolve("jna").toString());
        Framework framework = new FrameworkFactory().newFramework(config);
        framework.start();
        return framework;
    }

    /** Installs the runtime (SCR, Config Admin) and our bundles, starts them all; returns ours. */
    private static List<Bundle> installAndStart(BundleContext ctx) throws Exception {
        List<Bundle> runtime = install(ctx, "runtime.dir");
        List<Bundle> installed = install(ctx, "bundles.dir");
        assertEquals(11, installed.size(), installed.toString());
        for (Bundle b : runtime) {
            b.start();
        }
        for (Bundle b : installed) {
            b.start();
        }
        return installed;
    }

    /** Installs the jars of the folders the system properties {@code dirs} name, in that order. */
    private static List<Bundle> install(BundleContext ctx, String... dirs) throws Exception {
        List<Bundle> installed = new ArrayList<>();
        for (String dir : dirs) {
            for (Path jar : jars(dir)) {
                installed.add(ctx.installBundle(jar.toUri().toString()));
            }
        }
        return installed;
    }

    private static Bundle bundle(List<Bundle> bundles, String bsn) {
        return bundles.stream().filter(x -> x.getSymbolicName().equals(bsn)).findFirst().orElseThrow();
    }

    private static ServiceReference<?>[] awaitServices(BundleContext ctx, String type, int atLeast) throws Exception {
        return awaitServices(ctx, type, null, atLeast);
    }

    private static ServiceReference<?>[] awaitServices(BundleContext ctx, String type, String filter, int atLeast)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            ServiceReference<?>[] refs = ctx.getAllServiceReferences(type, filter);
            if (refs != null && refs.length >= atLeast) {
                return refs;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + (type != null ? type : filter) + " registered within 30 s");
            }
            Thread.sleep(20);
        }
    }

    /** Config Admin through reflection: getConfiguration(pid, "?").update(properties). */
    private static void configure(BundleContext ctx, String pid, Map<String, Object> properties) throws Exception {
        ServiceReference<?> ref = awaitServices(ctx, "org.osgi.service.cm.ConfigurationAdmin", 1)[0];
        Object admin = ctx.getService(ref);
        Object configuration = admin.getClass().getMethod("getConfiguration", String.class, String.class)
                .invoke(admin, pid, "?");
        configuration.getClass().getMethod("update", Dictionary.class).invoke(configuration,
                new Hashtable<>(properties));
    }

    private static Object invoke(Object target, String method, String... args) throws Exception {
        Class<?>[] types = new Class<?>[args.length];
        java.util.Arrays.fill(types, String.class);
        Method m = Class.forName("org.jxenbus.xenstore.api.XenstoreOperations", false, target.getClass().getClassLoader())
                .getMethod(method, types);
        return m.invoke(target, (Object[]) args);
    }

    private static void assertExports(List<Bundle> bundles, String bsn, List<String> packages) {
        Bundle b = bundles.stream().filter(x -> x.getSymbolicName().equals(bsn)).findFirst().orElseThrow();
        List<String> exported = new ArrayList<>();
        b.adapt(BundleWiring.class).getCapabilities("osgi.wiring.package")
                .forEach(c -> exported.add((String) c.getAttributes().get("osgi.wiring.package")));
        exported.sort(null);
        assertEquals(packages, exported, bsn + " exports");
    }

    private static List<Path> jars(String property) throws IOException {
        Path dir = Path.of(System.getProperty(property));
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }
}
