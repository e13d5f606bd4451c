package org.jxenbus.xenstore.sim.internal.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

import org.jxenbus.xenstore.sim.Profile;
import org.junit.jupiter.api.Test;

/** The command line of xenstored-sim: xenstored's quota options, the profile, what to serve. */
class XenstoredSimMainTest {

    @Test
    void takesXenstoredsQuotaOptions() {
        XenstoredSimMain.Options o = XenstoredSimMain.Options.parse(new String[] {"--socket", "/tmp/s", "-E", "50",
            "--entry-size=300", "-W", "4", "-t", "2", "-A", "3", "-M", "4000", "-Q", "outstanding=7", "--quota",
            "transaction-nodes=9", "-q", "memory=1000", "-w", "watch-event=3", "--profile", "modern"});
        assertEquals(Path.of("/tmp/s"), o.socket);
        assertEquals(Profile.MODERN, o.profile);
        assertEquals(50, o.quotas.nodes());
        assertEquals(300, o.quotas.nodeSize());
        assertEquals(4, o.quotas.watches());
        assertEquals(2, o.quotas.transactions());
        assertEquals(3, o.quotas.permissions());
        assertEquals(2048, o.quotas.pathMax(), "as xenstored, -M is capped at XENSTORE_REL_PATH_MAX");
        assertEquals(7, o.quotas.outstanding());
        assertEquals(9, o.quotas.transactionNodes());
        assertEquals(1000, o.quotas.memorySoft());
        assertEquals(Duration.ofSeconds(3), o.quotas.watchEventTimeout());
    }

    @Test
    void refusesWhatItCannotServe() {
        assertThrows(IllegalArgumentException.class, () -> XenstoredSimMain.Options.parse(new String[0]));
        assertThrows(IllegalArgumentException.class,
                () -> XenstoredSimMain.Options.parse(new String[] {"--socket", "/s", "--dom0-ring"}));
        assertThrows(IllegalArgumentException.class,
                () -> XenstoredSimMain.Options.parse(new String[] {"--socket", "/s", "-Q", "bogus=1"}));
        assertThrows(IllegalArgumentException.class,
                () -> XenstoredSimMain.Options.parse(new String[] {"--socket", "/s", "--profile", "xen-4.99"}));
        assertThrows(IllegalArgumentException.class, () -> XenstoredSimMain.Options.parse(new String[] {"--socket"}));
    }

    @Test
    void servesARealDom0sRingWithOrWithoutASocket() {
        XenstoredSimMain.Options alone = XenstoredSimMain.Options.parse(new String[] {"--xen-dom0"});
        assertTrue(alone.xenDom0);
        assertEquals(null, alone.socket);
        XenstoredSimMain.Options both = XenstoredSimMain.Options.parse(new String[] {"--xen-dom0", "--socket", "/s"});
        assertTrue(both.xenDom0);
        assertEquals(Path.of("/s"), both.socket);
        assertThrows(IllegalArgumentException.class,
                () -> XenstoredSimMain.Options.parse(new String[] {"--xen-dom0", "--rings", "/d"}));
        assertThrows(IllegalArgumentException.class,
                () -> XenstoredSimMain.Options.parse(new String[] {"--xen-dom0=yes"}));
    }

    @Test
    void xenDom0OutsideADom0FailsWithoutServing() {
        org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.exists(Path.of("/proc/xen/xsd_kva")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(1, XenstoredSimMain.run(new String[] {"--xen-dom0"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(err.toString().startsWith("xenstored-sim: no /proc/xen/xsd_kva"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void helpAndBadOptionsAnswerWithoutServing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, XenstoredSimMain.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(out.toString().startsWith("Usage: xenstored-sim --socket PATH"), out.toString());
        assertEquals(2, XenstoredSimMain.run(new String[] {"--bogus"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(err.toString().startsWith("xenstored-sim: unknown option --bogus"), err.toString());
    }
}
