package org.jxenbus.xenstore.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator's answers to single requests, each checked against what the C xenstored 4.17 answers on
 * the test bed (measured with the same requests; the differential test in itests/sim-it repeats them at
 * scale).
 */
class SimulatorBasicsTest {

    XenstoreSimulator sim;
    RawClient dom0;

    @BeforeEach
    void start() throws Exception {
        sim = XenstoreSimulator.start();
        dom0 = new RawClient(sim.uri());
    }

    @AfterEach
    void stop() {
        dom0.close();
        sim.close();
    }

    @Test
    void startsWithToolXenstoredOwnedByDom0AndGenerationsOneToThree() throws Exception {
        assertEquals("1|tool||", dom0.call(XsMessageType.XS_DIRECTORY_PART, "/", "0"));
        assertEquals("2|xenstored||", dom0.call(XsMessageType.XS_DIRECTORY_PART, "/tool", "0"));
        assertEquals("3||", dom0.call(XsMessageType.XS_DIRECTORY_PART, "/tool/xenstored", "0"));
        assertEquals("n0|", dom0.call(XsMessageType.XS_GET_PERMS, "/"));
        assertEquals("ERR ENOENT", dom0.call(XsMessageType.XS_READ, "/local"));
        assertEquals("Domain 0:\nnodes           :        3\nwatches         :        0\n"
                + "transactions    :        0\noutstanding     :        0\nmemory          :      132\n|",
                dom0.call(XsMessageType.XS_CONTROL, "quota", "0"));
    }

    @Test
    void writeCreatesParentsBottomUpAndChargesDom0AsXenstoredDoes() throws Exception {
        assertEquals("OK|", dom0.call(XsMessageType.XS_WRITE, 0, RawClient.pathValue("/a", "xyz")));
        assertEquals("5|tool|a||", dom0.call(XsMessageType.XS_DIRECTORY_PART, "/", "0"));
        assertEquals("4||", dom0.call(XsMessageType.XS_DIRECTORY_PART, "/a", "0"));
        assertEquals("Domain 0:\nnodes           :        4\nwatches         :        0\n"
                + "transactions    :        0\noutstanding     :        0\nmemory          :      171\n|",
                dom0.call(XsMessageType.XS_CONTROL, "quota", "0"));
        assertEquals("OK|", dom0.call(XsMessageType.XS_WATCH, "/a", "tok"));
        assertEquals(List.of("/a|tok|"), dom0.events());
        assertEquals("1|", dom0.call(XsMessageType.XS_TRANSACTION_START, ""));
        assertEquals("xyz", dom0.callTx(1, XsMessageType.XS_READ, "/a"));
        assertEquals("Domain 0:\nnodes           :        4\nwatches         :        0\n"
                + "transactions    :        0\noutstanding     :        0\nmemory          :      215\n|",
                dom0.call(XsMessageType.XS_CONTROL, "quota", "0"));
    }
}
