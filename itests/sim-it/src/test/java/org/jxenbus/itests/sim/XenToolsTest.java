package org.jxenbus.itests.sim;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.XenTools;
import org.jxenbus.xenstore.sim.Endpoint;
import org.jxenbus.xenstore.sim.XenstoreSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Xen's own tools against the simulator's unix socket: every test of test-xenstore passes, and a scripted
 * session of xenstore-utils (read, write, ls, list, exists, rm, chmod, watch, control) prints exactly what
 * the same session prints against the C xenstored.
 */
class XenToolsTest {

    FakeXenHost xenstored;
    XenstoreSimulator sim;
    Endpoint simSocket;
    Path dir;
    XenTools tools;

    @BeforeEach
    void start() throws IOException {
        xenstored = FakeXenHost.start();
        tools = xenstored.tools();
        dir = Files.createTempDirectory(Path.of("/tmp"), "jxb-tools-");
        sim = XenstoreSimulator.start();
        simSocket = sim.serveSocket(dir.resolve("socket"));
    }

    @AfterEach
    void stop() throws IOException {
        simSocket.close();
        sim.close();
        xenstored.close();
        Files.deleteIfExists(dir.resolve("socket"));
        Files.deleteIfExists(dir);
    }

    @Test
    void theSocketIsOwnerOnly() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("socket"))));
    }

    @Test
    void testXenstorePassesEveryTestOnTheSimulator() throws IOException {
        ToolRun list = ToolRun.run(tools, dir.resolve("socket"), "test-xenstore", "--list-tests");
        assertEquals(0, list.status(), list.toString());
        List<String> names = new ArrayList<>();
        for (String line : list.stdout().split("\n")) {
            names.add(line.substring(0, line.indexOf(':')).trim());
        }
        assertEquals(12, names.size(), list.toString());
        for (String name : names) {
            ToolRun one = ToolRun.run(tools, dir.resolve("socket"), "test-xenstore", "-t", name, "-i", "20");
            assertEquals(0, one.status(), one.toString());
            assertTrue(one.stdout().startsWith(String.format("%-10s: avg:", name)), one.toString());
        }
        ToolRun all = ToolRun.run(tools, dir.resolve("socket"), "test-xenstore", "-i", "100");
        ToolRun allC = ToolRun.run(tools, xenstored.socket(), "test-xenstore", "-i", "100");
        assertEquals(0, all.status(), all.toString());
        assertEquals(shape(allC.stdout()), shape(all.stdout()), "the same tests pass, in the same order");
        ToolRun random = ToolRun.run(tools, dir.resolve("socket"), "test-xenstore", "-r", "3", "-i", "10");
        assertEquals(0, random.status(), random.toString());
        assertFalse(random.stdout().contains("failed"), random.toString());
        System.out.println("test-xenstore -i 100 against the simulator:\n" + all.stdout()
                + "against the C xenstored:\n" + allC.stdout());
    }

    /** test-xenstore's lines without their timings. */
    private static String shape(String out) {
        return out.replaceAll("avg: [0-9]+ ns \\([0-9]+ ns \\.\\. [0-9]+ ns\\)", "avg: <timing>");
    }

    @Test
    void aScriptedXenstoreUtilsSessionPrintsWhatItPrintsAgainstXenstored() throws Exception {
        List<String[]> session = List.of(
                cmd("xenstore-write", "/s/a", "1", "/s/b", "two words", "/s/c/d", "\\x01\\x00x\\\\"),
                cmd("xenstore-read", "/s/a", "/s/b", "/s/c/d"),
                cmd("xenstore-read", "/s/none"),
                cmd("xenstore-read", "/s//a"),
                cmd("xenstore-ls", "/s"),
                cmd("xenstore-ls", "-f", "/s"),
                cmd("xenstore-ls", "-p", "/s"),
                cmd("xenstore-list", "/s"),
                cmd("xenstore-list", "-p", "/s"),
                cmd("xenstore-exists", "/s/a"),
                cmd("xenstore-exists", "/s/none"),
                cmd("xenstore-chmod", "/s/a", "n0", "r1"),
                cmd("xenstore-chmod", "-r", "/s/c", "b0"),
                cmd("xenstore-chmod", "/s/b", "n7"),
                cmd("xenstore-chmod", "/s/b", "q1"),
                cmd("xenstore-ls", "-p", "/s"),
                cmd("xenstore-write", "rel/x", "5"),
                cmd("xenstore-read", "rel/x", "/local/domain/0/rel/x"),
                cmd("xenstore-rm", "/s/b"),
                cmd("xenstore-rm", "-t", "/s/c/d"),
                cmd("xenstore-rm", "/s/none/deeper"),
                cmd("xenstore-ls", "/s"),
                cmd("xenstore-control", "help"),
                cmd("xenstore-control", "quota"),
                cmd("xenstore-control", "quota", "0"),
                cmd("xenstore-control", "quota", "5"),
                cmd("xenstore-control", "quota-soft"),
                cmd("xenstore-control", "check"),
                cmd("xenstore-control", "log", "on"),
                cmd("xenstore-control", "bogus"),
                cmd("xenstore-control", "quota", "set", "nodes", "500"),
                cmd("xenstore-control", "quota"),
                cmd("xenstore-ls", "-f", "-p", "/"));
        for (String[] c : session) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            ToolRun expected = ToolRun.run(tools, xenstored.socket(), c[0], args);
            ToolRun actual = ToolRun.run(tools, dir.resolve("socket"), c[0], args);
            assertEquals(expected.toString(), actual.toString());
        }
        assertEquals(watchSession(xenstored.socket()), watchSession(dir.resolve("socket")));
    }

    /** xenstore-watch -n 3 /w, while another client writes below /w twice: the lines it prints. */
    private String watchSession(Path socket) throws Exception {
        ToolRun.run(tools, socket, "xenstore-write", "/w", "0");
        Process watch = tools.xenstoreTool(socket, "xenstore-watch", "-n", "3", "/w").start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(watch.getInputStream(),
                StandardCharsets.UTF_8))) {
            out.append(r.readLine()).append('\n'); // the initial event: the watch is set
            ToolRun.run(tools, socket, "xenstore-write", "/w/x", "1");
            out.append(r.readLine()).append('\n');
            ToolRun.run(tools, socket, "xenstore-rm", "/w");
            out.append(r.readLine()).append('\n');
            assertTrue(watch.waitFor(10, TimeUnit.SECONDS), "xenstore-watch -n 3 ends after 3 events");
            out.append("exit ").append(watch.exitValue());
        } finally {
            watch.destroyForcibly();
        }
        return out.toString();
    }

    private static String[] cmd(String... c) {
        return c;
    }
}
