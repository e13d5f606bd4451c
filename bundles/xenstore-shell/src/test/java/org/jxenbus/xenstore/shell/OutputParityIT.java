package org.jxenbus.xenstore.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code xs:read}, {@code xs:ls}, {@code xs:list} print byte for byte what xenstore-utils 4.17's tools of the
 * same name print on the same store, messages and status included, and so do the other verbs where they fail or
 * print ({@code xs:watch -n}); {@code xs:perms} prints exactly the permissions {@code xenstore-ls -p} shows. The
 * store is built by the real tools: escapes, long values and names for ls's 80 columns, nested nodes,
 * permissions.
 */
class OutputParityIT extends ShellTestBase {

    private static final String LONG_NAME = "a".repeat(91);

    @BeforeAll
    static void buildTheStore() throws Exception {
        XenstoreUtils.must(host, "xenstore-write",
                "/shell/esc", "a\\\\b\\tc\\nd\\000e\\x7ff\\x80g\\xffh\"i'j ",
                "/shell/empty", "",
                "/shell/long", "x".repeat(100),
                "/shell/" + LONG_NAME, "v",
                "/shell/sub/deep/leaf", "leafval",
                "/shell/perm/kid", "2",
                "/shell/c/a/b", "1");
        XenstoreUtils.must(host, "xenstore-chmod", "/shell/perm", "r0", "n5", "w7", "b8");
        XenstoreUtils.must(host, "xenstore-chmod", "/shell/c/a/b", "n0", "b1", "r2");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                parity("read: one key", "read", "/shell/sub/deep/leaf"),
                parity("read: several keys", "read", "/shell/empty", "/shell/long", "/shell/sub/deep/leaf"),
                parity("read: -p prefixes the key", "read", "-p", "/shell/empty", "/shell/sub/deep/leaf"),
                parity("read: -R prints raw bytes", "read", "-R", "/shell/esc", "/shell/empty"),
                parity("read: escapes", "read", "/shell/esc"),
                parity("read: a missing key stops, earlier output kept", "read", "/shell/empty", "/shell/nope",
                        "/shell/long"),
                parity("read: no key is a usage error", "read"),
                parity("read: an unknown option is reported", "read", "-x", "/shell/empty"),
                parity("ls: a subtree cut to 80 columns", "ls", "/shell"),
                parity("ls: -f whole paths", "ls", "-f", "/shell"),
                parity("ls: -p dots and permissions", "ls", "-p", "/shell"),
                parity("ls: -f -p", "ls", "-f", "-p", "/shell"),
                parity("ls: several paths", "ls", "/shell/sub", "/shell/c"),
                parity("ls: a missing path", "ls", "/shell/nope"),
                parity("list: children in the server's order", "list", "/shell"),
                parity("list: -p prefixes the key", "list", "-p", "/shell", "/shell/sub"),
                parity("list: a missing key", "list", "/shell/nope"),
                parity("list: no key is a usage error", "list"),
                parity("write: an invalid path is reported", "write", "/shell/bad/", "v"),
                parity("write: an odd number of operands is a usage error", "write", "/shell/odd"),
                parity("rm: a missing parent is reported", "rm", "/shell/nope/x"),
                parity("chmod: an invalid permission letter", "chmod", "/shell/perm", "x1"),
                parity("chmod: a missing node", "chmod", "/shell/nope", "n0"),
                parity("watch: -n 1 prints the initial event", "watch", "-n", "1", "/shell/sub"),
                parity("watch: the same key twice", "watch", "-n", "1", "/shell/sub", "/shell/sub"));
    }

    private static Arguments parity(String behaviour, String mode, String... args) {
        return Arguments.of(named(behaviour, mode), args);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void printsWhatTheRealToolPrints(String mode, String[] args) throws Exception {
        GogoShell.Outcome real = XenstoreUtils.run(host, "xenstore-" + mode, args);
        GogoShell.Outcome ours = shell.run(("xs:" + mode + " " + String.join(" ", args)).trim());
        assertEquals(real.describe(), ours.describe());
    }

    @Test
    void permsPrintsThePermissionsLsShowsForEveryNode() throws Exception {
        GogoShell.Outcome ls = XenstoreUtils.run(host, "xenstore-ls", "-f", "-p", "/shell");
        assertEquals(0, ls.status(), ls.describe());
        List<String> paths = new ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (String line : ls.outText().split("\n")) {
            String path = line.substring(0, line.indexOf(" = "));
            String perms = line.substring(line.lastIndexOf("  (") + 3, line.length() - 1);
            paths.add(path);
            expected.append(path).append(": ").append(perms).append('\n');
        }
        assertTrue(expected.indexOf("/shell/perm: r0,n5,w7,b8\n") >= 0, expected::toString);
        GogoShell.Outcome ours = shell.run("xs:perms -p " + String.join(" ", paths));
        assertEquals("status 0\n--- stdout\n" + expected + "--- stderr\n", ours.describe());
    }

    @Test
    void permsStopsAtAMissingKeyWithStatus1AfterTheEarlierOutput() throws Exception {
        GogoShell.Outcome ours = shell.run("xs:perms /shell/perm /shell/nope");
        assertEquals("status 1\n--- stdout\nr0,n5,w7,b8\n--- stderr\n"
                + "xenstore-perms: could not get permissions of path /shell/nope\n", ours.describe());
    }

    @Test
    void connectIsRefusedBecauseTheStoreIsTheRuntimes() throws Exception {
        GogoShell.Outcome ours = shell.run("xs:read --connect unix:/elsewhere /shell/sub/deep/leaf");
        assertEquals("status 1\n--- stdout\n--- stderr\n"
                + "xenstore-read: option '--connect' is not available here: the store is the runtime's\n",
                ours.describe());
    }
}
