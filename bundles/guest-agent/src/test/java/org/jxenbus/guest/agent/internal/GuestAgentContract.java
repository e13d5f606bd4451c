package org.jxenbus.guest.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.jxenbus.guest.agent.MemoryFacts;
import org.jxenbus.guest.agent.ShutdownHandler;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the agent publishes and when it writes, the same against every store it may run on; the test code plays
 * the toolstack over a privileged connection. Expected paths come from {@link Pinned}, values from the known
 * facts of {@link FakeFacts}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GuestAgentContract {

    /** A privileged connection: the toolstack's. */
    abstract XenstoreConnection toolstackConnection();

    /** The connection the agent runs over. */
    abstract XenstoreConnection agentConnection();

    /** The agent's home as it is configured on that connection. */
    abstract DomainHome home();

    /** WRITE requests the agent's connection has sent so far, counted below the API. */
    abstract long writeRequests();

    Toolstack toolstack;
    FakeFacts facts;
    TestClock clock;
    GuestAgent agent;

    @BeforeEach
    void freshDomainWithTwoVifs() {
        toolstack = new Toolstack(toolstackConnection());
        toolstack.createDomain();
        toolstack.plugVif("0", FakeFacts.MAC_VIF0);
        toolstack.plugVif("1", FakeFacts.MAC_VIF1);
        facts = FakeFacts.standard();
        clock = new TestClock();
    }

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    GuestAgent startAgent() {
        agent = new GuestAgent(agentConnection(), facts, new StoreVifDevices(agentConnection(), home()), home(),
                Duration.ofHours(1), clock);
        agent.start();
        await(() -> agent.publications() >= 1, "the first publication, brought by the watch's first event");
        return agent;
    }

    @Test
    void everyNodeIsAtItsPinnedPathInItsUnit() {
        startAgent();
        Map<String, String> expected = new TreeMap<>(Map.of(
                Pinned.OS_DISTRO, "debian",
                Pinned.OS_MAJORVER, "12",
                Pinned.OS_MINORVER, "unknown",
                Pinned.OS_NAME, "Debian GNU/Linux 12 (bookworm)",
                Pinned.OS_UNAME, "6.1.0-18-amd64",
                Pinned.MEMINFO_TOTAL, "2097152",
                Pinned.MEMINFO_FREE, "1048576",
                Pinned.UPDATED, TestClock.REFERENCE_STAMP));
        expected.put(Pinned.ipv4("0", 0), "192.0.2.10");
        expected.put(Pinned.ipv6("0", 0), "2001:db8::10");
        expected.put(Pinned.ipv6("0", 1), "fe80::216:3eff:fe00:1");
        expected.put(Pinned.ipv4("1", 0), "198.51.100.7");
        assertEquals(expected, leaves(List.of("data", "attr")), "exactly these nodes, nothing else");
    }

    @Test
    void aSecondRefreshWithUnchangedFactsSendsNoWrite() {
        startAgent();
        long before = writeRequests();
        Changes changes = agent.refresh();
        assertFalse(changes.any(), changes.toString());
        assertEquals(0, writeRequests() - before, "no WRITE request at all, data/updated included");
    }

    @Test
    void aChangedFactRewritesThatNodeAndTheStampOnly() {
        startAgent();
        facts.memory(new MemoryFacts(2097152, 917504));
        clock.advance(Duration.ofSeconds(60));
        long before = writeRequests();
        Changes changes = agent.refresh();
        assertEquals(List.of(Pinned.MEMINFO_FREE), changes.written());
        assertEquals(2, writeRequests() - before, "meminfo_free, then data/updated");
        assertEquals("917504", read(Pinned.MEMINFO_FREE));
        assertEquals("Mon Jan  2 15:05:05 2006", read(Pinned.UPDATED));
    }

    @Test
    void anAddressThatGoesIsRemovedAndTheOthersKeepTheirSlots() {
        startAgent();
        facts.addresses("eth0", "192.0.2.10", "fe80::216:3eff:fe00:1");
        long before = writeRequests();
        Changes changes = agent.refresh();
        assertEquals(List.of(), changes.written());
        assertEquals(List.of(Pinned.ipv6("0", 0)), changes.removed());
        assertEquals(1, writeRequests() - before, "data/updated only");
        assertEquals("fe80::216:3eff:fe00:1", read(Pinned.ipv6("0", 1)), "slot 1 kept");
        assertNull(readOrNull(Pinned.ipv6("0", 0)));

        facts.addresses("eth0", "192.0.2.10", "fe80::216:3eff:fe00:1", "2001:db8::20");
        assertEquals(List.of(Pinned.ipv6("0", 0)), agent.refresh().written(), "a newcomer takes the free slot 0");
        assertEquals("2001:db8::20", read(Pinned.ipv6("0", 0)));
    }

    @Test
    void anUnpluggedVifLosesItsEntryAndAHotpluggedOneGetsOne() {
        startAgent();
        toolstack.unplugVif("1");
        Changes changes = agent.refresh();
        assertEquals(List.of("attr/vif/1"), changes.removed(), "the whole entry, once");
        assertEquals(List.of("0"), toolstackConnection().directory(Toolstack.HOME + "/attr/vif"));

        toolstack.plugVif("3", FakeFacts.MAC_VIF1);
        assertEquals(List.of(Pinned.ipv4("3", 0)), agent.refresh().written());
        assertEquals("198.51.100.7", read(Pinned.ipv4("3", 0)));
    }

    @Test
    void aNewAgentComparesWithTheStoreAndWritesNothingThatHolds() {
        startAgent();
        agent.close();
        long before = writeRequests();
        startAgent();
        assertEquals(0, writeRequests() - before, "every node read and found as it should be");
    }

    @Test
    void aNewAgentClearsTheVifEntriesItDoesNotHave() {
        startAgent();
        agent.close();
        toolstackConnection().write(Toolstack.HOME + "/attr/vif/7/ipv4/0", "203.0.113.9"); // a previous agent's
        long before = writeRequests();
        startAgent();
        assertEquals(List.of("0", "1"), toolstackConnection().directory(Toolstack.HOME + "/attr/vif"));
        assertEquals(1, writeRequests() - before, "data/updated, for the removal");
        assertEquals("192.0.2.10", read(Pinned.ipv4("0", 0)));
    }

    @Test
    void aNewUniqueDomainIdMakesTheAgentCompareWithTheStoreAgain() {
        startAgent();
        toolstackConnection().rm(Toolstack.HOME + "/" + Pinned.OS_NAME); // as a store the VM resumed on may lack it
        assertFalse(agent.refresh().any(), "compared with what it wrote, nothing changed");
        long before = agent.publications();
        toolstackConnection().write(Toolstack.HOME + "/unique-domain-id", "b4c1e7b2-resumed-elsewhere");
        await(() -> agent.publications() > before, "the publication the watch brings");
        assertEquals("Debian GNU/Linux 12 (bookworm)", read(Pinned.OS_NAME), "found missing in the store, rewritten");
    }

    @Test
    void factsThatCannotBeReadKeepWhatWasPublished() {
        startAgent();
        facts.memoryUnreadable(true);
        long before = writeRequests();
        Changes changes = agent.refresh();
        assertFalse(changes.any(), changes.toString());
        assertEquals(0, writeRequests() - before);
        assertEquals("2097152", read(Pinned.MEMINFO_TOTAL));
        assertEquals("1048576", read(Pinned.MEMINFO_FREE));
    }

    @Test
    void closingInTheMiddleOfARefreshLogsNoWarning() throws Exception {
        startAgent();
        try (CapturedLog log = new CapturedLog(GuestAgent.class)) {
            CountDownLatch entered = new CountDownLatch(1);
            facts.holdNextOsReadUntilInterrupted(entered);
            agent.refreshSoon();
            assertTrue(entered.await(20, TimeUnit.SECONDS), "the refresh reads the facts");
            agent.close(); // interrupts the refresh, whose next store call then fails as interrupted
            agent = null;
            assertEquals(List.of(), log.warnings(), "no warning");
            assertTrue(log.all().stream().anyMatch(line -> line.contains("stopped by close")),
                    () -> "the refresh's end logged for debugging: " + log.all());
        }
    }

    @Test
    void closingInTheMiddleOfAShutdownRequestLogsNoWarning() throws Exception {
        ShutdownHandler poweroff = handler("poweroff", new LinkedBlockingQueue<>());
        CountDownLatch entered = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        ShutdownWatcher watcher = new ShutdownWatcher(agentConnection(), home(), () -> {
            if (asked.incrementAndGet() == 2) { // the 1st is start()'s advertising, the 2nd the request's transaction
                entered.countDown();
                sleepUntilInterrupted();
            }
            return List.of(poweroff);
        });
        try (CapturedLog log = new CapturedLog(ShutdownWatcher.class)) {
            try {
                watcher.start();
                toolstackConnection().write(Toolstack.HOME + "/control/shutdown", "poweroff");
                assertTrue(entered.await(20, TimeUnit.SECONDS), "the request's transaction asks for the handlers");
            } finally {
                watcher.close(); // interrupts the transaction, whose next store call then fails as interrupted
            }
            assertEquals(List.of(), log.warnings(), "no warning");
            assertTrue(log.all().stream().anyMatch(line -> line.contains("stopped by close")),
                    () -> "the request's end logged for debugging: " + log.all());
        }
        assertEquals("poweroff", read("control/shutdown"), "the interrupted request was not acknowledged");
    }

    private static void sleepUntilInterrupted() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ShutdownHandler handler(String command, BlockingQueue<String> handled) {
        return new ShutdownHandler() {
            @Override
            public Set<String> commands() {
                return Set.of(command);
            }

            @Override
            public void handle(String c) {
                handled.add(c);
            }
        };
    }

    @Test
    void aShutdownRequestReachesTheHandlerClaimingItAndIsAcknowledged() throws Exception {
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        ShutdownHandler poweroff = handler("poweroff", handled);
        try (ShutdownWatcher watcher = new ShutdownWatcher(agentConnection(), home(), () -> List.of(poweroff))) {
            watcher.start();
            assertEquals("1", read("control/feature-poweroff"), "advertised, as Linux's setup_shutdown_watcher does");
            toolstackConnection().write(Toolstack.HOME + "/control/shutdown", "poweroff");
            assertEquals("poweroff", handled.poll(20, TimeUnit.SECONDS));
            assertEquals("", read("control/shutdown"), "acknowledged with the empty string");

            toolstackConnection().write(Toolstack.HOME + "/control/shutdown", "reboot");
            assertNull(handled.poll(1, TimeUnit.SECONDS), "nobody claims reboot");
            assertEquals("reboot", read("control/shutdown"), "an unclaimed command is left, as Linux leaves it");
        }
    }

    String read(String relative) {
        return toolstackConnection().read(Toolstack.HOME + "/" + relative);
    }

    String readOrNull(String relative) {
        try {
            return read(relative);
        } catch (NoSuchNodeException e) {
            return null;
        }
    }

    /** Every node with a value under the home's {@code roots}, by path relative to the home. */
    Map<String, String> leaves(List<String> roots) {
        Map<String, String> found = new TreeMap<>();
        for (String root : roots) {
            collect(toolstackConnection(), Toolstack.HOME + "/", root, found);
        }
        return found;
    }

    private static void collect(XenstoreOperations xs, String base, String relative, Map<String, String> into) {
        List<String> children = xs.directory(base + relative);
        if (children.isEmpty()) {
            into.put(relative, xs.read(base + relative));
        }
        for (String child : children) {
            collect(xs, base, relative + "/" + child, into);
        }
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 20 s: " + what);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
