package org.jxenbus.xenstore.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@code xs:write}, {@code xs:rm}, {@code xs:chmod} leave the store as xenstore-utils' tools leave it: each
 * test runs the real tool under {@code /real/T} and the shell under {@code /ours/T} and compares the two
 * subtrees as the real {@code xenstore-ls -p} prints them. A failing command sets the pipe's status.
 */
class StoreChangesIT extends ShellTestBase {

    @Test
    void writeUnescapesValuesAsTheRealToolDoes() throws Exception {
        XenstoreUtils.must(host, "xenstore-write", "/real/w/a", "x\\ty", "/real/w/b", "\\x41\\\\\\101", "/real/w/c",
                "raw\\t");
        assertEquals(0, shell.run("xs:write /ours/w/a 'x\\ty' /ours/w/b '\\x41\\\\\\101' /ours/w/c 'raw\\t'").status());
        assertSameSubtrees("w");
    }

    @Test
    void writeRawKeepsBackslashesAsTheRealToolDoes() throws Exception {
        XenstoreUtils.must(host, "xenstore-write", "-R", "/real/raw/a", "x\\ty");
        assertEquals(0, shell.run("xs:write -R /ours/raw/a 'x\\ty'").status());
        assertSameSubtrees("raw");
    }

    @Test
    void writeStoresAnArgumentAsItsUtf8Bytes() throws Exception {
        XenstoreUtils.must(host, "xenstore-write", "/real/utf8/a", "\\xc3\\xbc");
        assertEquals(0, shell.run("xs:write /ours/utf8/a \u00fc").status());
        assertSameSubtrees("utf8");
    }

    @Test
    void rmTidyRemovesEmptyParentsAsTheRealToolDoes() throws Exception {
        for (String root : new String[] {"/real", "/ours"}) {
            XenstoreUtils.must(host, "xenstore-write", root + "/rm/t/a/b/c", "", root + "/rm/t/keep", "k",
                    root + "/rm/gone/x", "1");
        }
        XenstoreUtils.must(host, "xenstore-rm", "-t", "/real/rm/t/a/b/c", "/real/rm/gone");
        assertEquals(0, shell.run("xs:rm -t /ours/rm/t/a/b/c /ours/rm/gone").status());
        assertSameSubtrees("rm");
    }

    @Test
    void chmodRecursesAndClimbsAsTheRealToolDoes() throws Exception {
        for (String root : new String[] {"/real", "/ours"}) {
            XenstoreUtils.must(host, "xenstore-write", root + "/chmod/a/b/c", "1", root + "/chmod/a/d", "2");
        }
        XenstoreUtils.must(host, "xenstore-chmod", "-r", "/real/chmod/a", "n0", "r3");
        XenstoreUtils.must(host, "xenstore-chmod", "-u", "/real/chmod/a/b/c", "b0", "w4");
        assertEquals(0, shell.run("xs:chmod -r /ours/chmod/a n0 r3").status());
        assertEquals(0, shell.run("xs:chmod -u /ours/chmod/a/b/c b0 w4").status());
        assertSameSubtrees("chmod");
    }

    @Test
    void mkdirCreatesMissingNodesAndKeepsExistingValues() throws Exception {
        XenstoreUtils.must(host, "xenstore-write", "/ours/mkdir/kept", "v");
        assertEquals(0, shell.run("xs:mkdir /ours/mkdir/kept /ours/mkdir/new/deep").status());
        GogoShell.Outcome ls = XenstoreUtils.run(host, "xenstore-ls", "/ours/mkdir");
        assertEquals("status 0\n--- stdout\nkept = \"v\"\nnew = \"\"\n deep = \"\"\n--- stderr\n", ls.describe());
    }

    @Test
    void aFailedCommandFailsThePipeForOrAndAnd() throws Exception {
        GogoShell.Outcome failed = shell.run(
                "xs:read /status/nope || xs:write /ours/status/or ran ; xs:read /status/nope && xs:write /ours/status/and ran");
        assertEquals("status 1\n--- stdout\n--- stderr\nxenstore-read: couldn't read path /status/nope\n"
                + "xenstore-read: couldn't read path /status/nope\n", failed.describe());
        GogoShell.Outcome ls = XenstoreUtils.run(host, "xenstore-ls", "/ours/status");
        assertEquals("status 0\n--- stdout\nor = \"ran\"\n--- stderr\n", ls.describe());
    }

    /** The real tool's {@code ls -p} of {@code /real/T} and {@code /ours/T}: names, values and permissions. */
    private static void assertSameSubtrees(String topic) throws Exception {
        GogoShell.Outcome real = XenstoreUtils.run(host, "xenstore-ls", "-p", "/real/" + topic);
        GogoShell.Outcome ours = XenstoreUtils.run(host, "xenstore-ls", "-p", "/ours/" + topic);
        assertEquals(0, real.status(), real.describe());
        assertEquals(real.describe(), ours.describe());
    }
}
