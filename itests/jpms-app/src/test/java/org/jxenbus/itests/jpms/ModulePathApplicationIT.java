package org.jxenbus.itests.jpms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenstoredExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs {@link Main} as a JPMS application: {@code java --module-path <jars> -m ...} with only the jxenbus
 * modules on the module path (no OSGi jar, no class path), against the real xenstored.
 */
@ExtendWith(XenstoredExtension.class)
class ModulePathApplicationIT {

    @Test
    void theFacadeWorksOnTheModulePathWithoutOsgi(FakeXenHost host) throws Exception {
        List<String> modulePath = new ArrayList<>();
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("modules.dir")))) {
            jars.map(Path::toString).sorted().forEach(modulePath::add);
        }
        modulePath.add(System.getProperty("app.jar"));
        for (String entry : modulePath) {
            assertFalse(entry.contains("osgi") || entry.contains("felix"), "no OSGi jar on the module path: " + entry);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--module-path", String.join(":", modulePath), "-m",
                "org.jxenbus.itests.jpms/org.jxenbus.itests.jpms.Main", "unix:" + host.socket())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("read=from the module path\n"), out);
        assertTrue(out.contains("tx=committed\n"), out);
        assertTrue(out.contains("ls=hello,tx\n"), out);
        assertTrue(out.contains("named=true\n"), out);
        assertTrue(out.contains("modules=org.jxenbus.itests.jpms,org.jxenbus.transport.socket,org.jxenbus.xenstore.api,"
                + "org.jxenbus.xenstore.client,org.jxenbus.xenstore.core,org.jxenbus.xenstore.spi\n"), out);
        assertTrue(out.contains("osgi=false\n"), out);
    }
}
