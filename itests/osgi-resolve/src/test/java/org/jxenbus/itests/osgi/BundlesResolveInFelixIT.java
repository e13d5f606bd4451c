package org.jxenbus.itests.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The bundles resolve and start in a bare Felix 7.0.5: no SPI Fly, nothing but JNA (itself a bundle). Proves the
 * {@code osgi.serviceloader} requirements bnd generated from the ServiceLoader annotations are optional,
 * and that implementation bundles export nothing.
 */
class BundlesResolveInFelixIT {

    @Test
    void everyBundleResolvesAndStartsWithoutSpiFly(@TempDir Path storage) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        Framework framework = new FrameworkFactory().newFramework(config);
        framework.start();
        try {
            BundleContext ctx = framework.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (Path jar : bundleJars()) {
                installed.add(ctx.installBundle(jar.toUri().toString()));
            }
            assertEquals(11, installed.size(), installed.toString());
            for (Bundle b : installed) {
                b.start();
            }
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
                    "org.jxenbus.xenstore.api.watch"));
            assertExports(installed, "org.jxenbus.xenstore.watch", List.of());
            assertExports(installed, "org.jxenbus.xenstore.spi", List.of("org.jxenbus.xenstore.spi.connection",
                    "org.jxenbus.xenstore.spi.ring", "org.jxenbus.xenstore.spi.transport", "org.jxenbus.xenstore.spi.wire"));
            assertExports(installed, "org.jxenbus.transport.ring", List.of("org.jxenbus.transport.ring.server"));
            assertExports(installed, "org.jxenbus.transport.xendev", List.of("org.jxenbus.transport.xendev"));
            assertExports(installed, "org.jxenbus.transport.xenbus", List.of());
            assertExports(installed, "org.jxenbus.xenstore.cli", List.of());
            assertExports(installed, "org.jxenbus.xenstore.client", List.of("org.jxenbus.xenstore.client"));
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    private static void assertExports(List<Bundle> bundles, String bsn, List<String> packages) {
        Bundle b = bundles.stream().filter(x -> x.getSymbolicName().equals(bsn)).findFirst().orElseThrow();
        List<String> exported = new ArrayList<>();
        b.adapt(BundleWiring.class).getCapabilities("osgi.wiring.package")
                .forEach(c -> exported.add((String) c.getAttributes().get("osgi.wiring.package")));
        exported.sort(null);
        assertEquals(packages, exported, bsn + " exports");
    }

    private static List<Path> bundleJars() throws IOException {
        Path dir = Path.of(System.getProperty("bundles.dir"));
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }
}
