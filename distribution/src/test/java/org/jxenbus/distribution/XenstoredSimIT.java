package org.jxenbus.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.XenTools;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/xenstored-sim}: starts in the foreground, prints one ready line, serves an owner-only socket
 * that xenstore-utils use, and stops on SIGTERM, removing its socket.
 */
class XenstoredSimIT {

    private static final Path BIN = Path.of(System.getProperty("jxenbus.home", "target/jxenbus"), "bin",
            "xenstored-sim");

    @Test
    void servesXenstoreUtilsOnItsSocketUntilSigterm() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jxb-simd-");
        Path socket = dir.resolve("socket");
        ProcessBuilder pb = new ProcessBuilder(BIN.toString(), "--socket", socket.toString(), "-E", "500");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectErrorStream(true);
        Process daemon = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("xenstored-sim ready: profile xen-4.17, unix socket " + socket, out.readLine());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            XenTools tools = XenTools.provision();
            assertEquals(0, tool(tools, socket, "xenstore-write", "/d/a", "hello"));
            Process read = tools.xenstoreTool(socket, "xenstore-read", "/d/a").start();
            assertEquals("hello\n", new String(read.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertTrue(read.waitFor(10, TimeUnit.SECONDS));
            Process quota = tools.xenstoreTool(socket, "xenstore-ls", "/tool").start();
            assertEquals("xenstored = \"\"\n", new String(quota.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            daemon.destroy(); // SIGTERM
            assertTrue(daemon.waitFor(10, TimeUnit.SECONDS), "xenstored-sim stops on SIGTERM");
            assertFalse(Files.exists(socket), "and removes its socket");
        } finally {
            daemon.destroyForcibly();
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void refusesABadCommandLineWithItsUsage() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(BIN.toString(), "--bogus");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        assertTrue(err.startsWith("xenstored-sim: unknown option --bogus\nUsage: xenstored-sim --socket PATH"), err);
    }

    private static int tool(XenTools tools, Path socket, String tool, String... args) throws Exception {
        Process p = tools.xenstoreTool(socket, tool, args).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return p.exitValue();
    }
}
