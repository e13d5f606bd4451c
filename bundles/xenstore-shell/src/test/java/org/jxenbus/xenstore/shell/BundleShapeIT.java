package org.jxenbus.xenstore.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

/**
 * The built bundle: its DS components give Gogo the ten {@code xs:} commands; it imports only the xenstore API
 * and Gogo's command package (the CLI's verbs are a private copy) and exports nothing.
 */
class BundleShapeIT extends ShellTestBase {

    @Test
    void theComponentsRegisterTheTenXsCommands() {
        assertEquals(List.of("xs:chmod", "xs:list", "xs:ls", "xs:mkdir", "xs:perms", "xs:read", "xs:rm", "xs:stat",
                "xs:watch", "xs:write"), shell.commands().stream().filter(c -> c.startsWith("xs:")).toList());
    }

    @Test
    void xenbusDevicesIsRegisteredAndSaysSoWhenTheProbeShowsNoDevice() throws Exception {
        assertEquals(List.of("xenbus:devices"), shell.commands().stream().filter(c -> c.startsWith("xenbus:")).toList());
        GogoShell.Outcome o = shell.run("xenbus:devices");
        assertEquals(0, o.status(), o.describe());
        assertEquals("none (is the device probe running with a bus configured?)\n", o.outText());
    }

    @Test
    void theBundleImportsOnlyTheApiAndGogoAndExportsNothing() throws Exception {
        try (JarFile jar = new JarFile(Path.of(System.getProperty("shell.bundle")).toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertEquals("org.apache.felix.service.command;version=\"[1.0,2)\","
                    + "org.jxenbus.xenstore.api;version=\"[1.1,2)\",org.jxenbus.xenstore.api.device;version=\"[1.0,2)\"",
                    manifest.getValue("Import-Package"));
            assertNull(manifest.getValue("Export-Package"));
        }
    }
}
