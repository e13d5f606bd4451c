package org.jxenbus.itests.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.jxenbus.xenstore.sim.SimulatorOptions;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.Test;

/**
 * Hand-written sequences on xenstored's subtle paths, each run in lock step on the C xenstored and on the
 * simulator (they must agree, as in the differential test) and each asserting what xenstored answers, so
 * the behaviour is written down: transaction conflicts, subtree removal events, relative watches, special
 * watch permissions, ignored permission entries, quota boundaries, RELEASE with SET_TARGET references.
 */
class ScenariosTest {

    /** Runs the steps; each is "CONN TYPE [tx=N] args..." then the reference reply expected (null: any). */
    private static Lockstep run(Object... steps) throws IOException {
        Lockstep l = new Lockstep(Server::xenstored, () -> Server.simulator(SimulatorOptions.defaults()));
        try {
            for (int i = 0; i < steps.length; i += 2) {
                Op op = parse((String) steps[i]);
                String diff = l.apply(op);
                assertNull(diff, op + ": " + diff);
                if (steps[i + 1] != null) {
                    assertEquals(steps[i + 1], Op.printable(l.lastReply.payload(), 4096)
                            + (l.lastReply.type() == XsMessageType.XS_ERROR.code() ? " (error)" : ""), op.toString());
                }
            }
            return l;
        } catch (IOException | RuntimeException | Error e) {
            l.close();
            throw e;
        }
    }

    private static Op parse(String step) {
        String[] w = step.split(" ", -1);
        String conn = w[0];
        XsMessageType type = XsMessageType.valueOf("XS_" + w[1]);
        int i = 2;
        int tx = 0;
        if (w.length > 2 && w[2].startsWith("tx=")) {
            tx = Integer.parseInt(w[2].substring(3));
            i = 3;
        }
        String[] args = java.util.Arrays.copyOfRange(w, i, w.length);
        byte[] payload = type == XsMessageType.XS_WRITE ? Op.pathValue(args[0], (args.length > 1 ? args[1] : "").getBytes())
                : Op.strings(args);
        return new Op(conn, type.code(), tx, payload);
    }

    @Test
    void transactionConflictsFollowTheGenerationOfEveryNodeRead() throws IOException {
        try (Lockstep l = run(
                "S1 WRITE /a 1", "OK|", "S1 WRITE /b 2", "OK|",
                // example 1 of transaction.c: read A, write B, commit
                "S1 TRANSACTION_START ", "1|", "S1 READ tx=1 /a", "1", "S1 WRITE tx=1 /b 3", "OK|",
                "S1 TRANSACTION_END tx=1 T", "OK|",
                // example 2: A written meanwhile -> EAGAIN
                "S1 TRANSACTION_START ", "2|", "S1 READ tx=2 /a", "1", "S2 WRITE /a 9", "OK|",
                "S1 WRITE tx=2 /b 4", "OK|", "S1 TRANSACTION_END tx=2 T", "EAGAIN| (error)",
                // example 3: A deleted meanwhile -> EAGAIN
                "S1 TRANSACTION_START ", "3|", "S1 READ tx=3 /a", "9", "S2 RM /a", "OK|",
                "S1 TRANSACTION_END tx=3 T", "EAGAIN| (error)",
                // a node the transaction found missing and someone created -> EAGAIN too
                "S1 TRANSACTION_START ", "4|", "S1 READ tx=4 /c", "ENOENT| (error)", "S2 WRITE /c x", "OK|",
                "S1 READ tx=4 /c", "ENOENT| (error)", "S1 TRANSACTION_END tx=4 T", "EAGAIN| (error)",
                // example 4: two transactions, the first to commit wins
                "S1 TRANSACTION_START ", "5|", "S2 TRANSACTION_START ", "1|", "S1 READ tx=5 /a", "ENOENT| (error)",
                "S2 READ tx=1 /b", "3", "S1 WRITE tx=5 /b 5", "OK|", "S2 WRITE tx=1 /a 6", "OK|",
                "S1 TRANSACTION_END tx=5 T", "OK|", "S2 TRANSACTION_END tx=1 T", "EAGAIN| (error)",
                // nested start, unknown id, bad argument
                "S1 TRANSACTION_START ", "6|", "S1 TRANSACTION_START tx=6 ", "EBUSY| (error)",
                "S1 READ tx=77 /b", "ENOENT| (error)", "S1 TRANSACTION_END tx=6 X", "EINVAL| (error)",
                "S1 TRANSACTION_END tx=6 F", "OK|", "S1 TRANSACTION_END tx=6 F", "ENOENT| (error)")) {
            assertNull(null);
        }
    }

    @Test
    void removingASubtreeFiresEachNodesExactWatchesChildrenFirst() throws IOException {
        try (Lockstep l = run(
                "S1 WRITE /r/x/y 1", "OK|", "S1 WRITE /r/z 2", "OK|",
                "S2 WATCH /r/x/y deep", "OK|", "S2 WATCH /r/z leaf", "OK|", "S2 WATCH /r top", "OK|",
                "S2 WATCH /r/none missing", "OK|", "S2 WATCH / root", "OK|",
                "S1 RM /r", "OK|")) {
            assertEquals(Map.of("S2", List.of("/r/x/y|deep|", "/r/z|leaf|", "/r|top|", "/r|root|")), l.lastEvents);
        }
    }

    @Test
    void aGuestsRelativeWatchReportsRelativePathsAndSpecialWatchesNeedPermission() throws IOException {
        try (Lockstep l = run(
                "S1 MKDIR /local/domain/1", "OK|", "S1 SET_PERMS /local/domain/1 n1", "OK|",
                "S1 INTRODUCE 1 0 11", "OK|",
                "G1 WATCH data tok", "OK|", "G1 WATCH @introduceDomain intro", "OK|",
                "G1 WRITE data/k v", "OK|")) {
            assertEquals(Map.of("G1", List.of("data/k|tok|")), l.lastEvents);
        }
        try (Lockstep l = run(
                "S1 INTRODUCE 1 0 11", "OK|", "G1 WATCH @introduceDomain intro", "OK|",
                "S1 INTRODUCE 2 0 12", "OK|")) {
            assertEquals(Map.of(), l.lastEvents, "@introduceDomain is dom0's unless its permissions say otherwise");
        }
        try (Lockstep l = run(
                "S1 INTRODUCE 1 0 11", "OK|", "G1 WATCH @introduceDomain intro", "OK|",
                "S1 SET_PERMS @introduceDomain n0 r1", "OK|", "S1 INTRODUCE 2 0 12", "OK|")) {
            assertEquals(Map.of("G1", List.of("@introduceDomain|intro|")), l.lastEvents);
        }
    }

    @Test
    void permissionEntriesForDomainsThatDoNotExistAreKeptButIgnored() throws IOException {
        try (Lockstep l = run(
                "S1 WRITE /p v", "OK|",
                "S1 SET_PERMS /p n7", "ENOENT| (error)",
                "S1 SET_PERMS /p n0 r7 r1", "OK|",
                "S1 GET_PERMS /p", "n0|r7|r1|",
                "S1 SET_PERMS /p n0 r0x1 w-1", "OK|",
                "S1 GET_PERMS /p", "n0|r1|w-1|",
                "S1 SET_PERMS /p n0 q1", "EINVAL| (error)",
                "S1 SET_PERMS /p n0 r1 ", "EINVAL| (error)")) {
            assertNull(null);
        }
    }

    @Test
    void quotasBiteOneEntryLaterThanTheirNumberWhereXenstoredChecksWithGreaterThan() throws IOException {
        try (Lockstep l = run(
                "S1 MKDIR /local/domain/1", "OK|", "S1 SET_PERMS /local/domain/1 n1", "OK|",
                "S1 INTRODUCE 1 0 11", "OK|",
                "S1 CONTROL quota set watches 2", "OK|", "S1 CONTROL quota set transactions 1", "OK|",
                "S1 CONTROL quota set nodes 3", "OK|",
                "G1 WATCH a t", "OK|", "G1 WATCH b t", "OK|", "G1 WATCH c t", "OK|", "G1 WATCH d t", "E2BIG| (error)",
                "G1 TRANSACTION_START ", "1|", "G1 TRANSACTION_START ", "2|",
                "G1 TRANSACTION_START ", "ENOSPC| (error)",
                "G1 WRITE x 1", "OK|", "G1 WRITE y 1", "OK|", "G1 WRITE z 1", "ENOSPC| (error)",
                "S1 CONTROL quota 1", null)) {
            String quota = Op.printable(l.lastReply.payload(), 1000);
            assertEquals("Domain 1:\\x0anodes           :        3\\x0awatches         :        3\\x0a"
                    + "transactions    :        2\\x0aoutstanding     :        0\\x0a", quota.substring(0, quota.indexOf("memory")));
        }
    }

    @Test
    void releasingADomainAnotherOneTargetsOnlyDropsTheReference() throws IOException {
        try (Lockstep l = run(
                "S1 INTRODUCE 1 0 11", "OK|", "S1 INTRODUCE 2 0 12", "OK|",
                "S1 SET_TARGET 2 1", "OK|",
                "S1 RELEASE 1", "OK|", "S1 IS_DOMAIN_INTRODUCED 1", "T|",
                "S1 RELEASE 2", "OK|", "S1 IS_DOMAIN_INTRODUCED 2", "F|",
                "S1 RELEASE 1", "OK|", "S1 IS_DOMAIN_INTRODUCED 1", "F|")) {
            assertNull(null);
        }
    }

    @Test
    void releaseDomainFiresAfterTheReplyWhenXenstoredsLoopHeldTheConnection() throws IOException {
        // S2 is the connection before G2's in xenstored's list: the release waits for the loop
        try (Lockstep l = run("S1 INTRODUCE 2 0 12", "OK|", "S1 WATCH @releaseDomain r", "OK|",
                "S2 WATCH @releaseDomain r", "OK|", "S2 RELEASE 2", "OK|")) {
            assertEquals(List.of("@releaseDomain|r|"), l.lastEvents.get("S1"));
        }
    }
}
