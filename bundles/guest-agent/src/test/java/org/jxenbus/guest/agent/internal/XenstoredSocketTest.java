package org.jxenbus.guest.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jxenbus.guest.agent.MemoryFacts;
import org.jxenbus.guest.agent.internal.linux.LinuxGuestFacts;
import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.testsupport.XenstoredExtension;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent over dom0's socket to the real xenstored with an explicit home ({@code /local/domain/5}), through the
 * proxy that records every request: the same contract, the exact paths each refresh writes, and the real facts of
 * this machine.
 */
@ExtendWith(XenstoredExtension.class)
class XenstoredSocketTest extends GuestAgentContract {

    ReorderingProxy proxy;
    XenstoreConnection dom0;
    XenstoreConnection agentSide;

    @BeforeAll
    void connect(FakeXenHost host) throws IOException {
        host.introduceGuest(Toolstack.DOMID, 7); // xenstored 4.17 lets permissions name only domains it knows
        proxy = ReorderingProxy.start(host);
        dom0 = Xenstore.open(host.socketUri());
        agentSide = Xenstore.open(proxy.uri());
    }

    @AfterAll
    void disconnect() throws IOException {
        agentSide.close();
        dom0.close();
        proxy.close();
    }

    @Override
    XenstoreConnection toolstackConnection() {
        return dom0;
    }

    @Override
    XenstoreConnection agentConnection() {
        return agentSide;
    }

    @Override
    DomainHome home() {
        return new DomainHome(Toolstack.HOME);
    }

    @Override
    long writeRequests() {
        return writtenPaths().size();
    }

    /** The paths of every WRITE the proxy forwarded, in order. */
    List<String> writtenPaths() {
        return proxy.requests().stream().filter(m -> m.type() == XsMessageType.XS_WRITE.code())
                .map(XenstoredSocketTest::pathOf).toList();
    }

    private static String pathOf(XsMessage m) {
        byte[] p = m.payload();
        int nul = 0;
        while (nul < p.length && p[nul] != 0) {
            nul++;
        }
        return new String(p, 0, nul, StandardCharsets.UTF_8);
    }

    @Test
    void theRequestsOfAChangedFactAreTheWritesOfThatNodeThenTheStamp() {
        startAgent();
        int before = writtenPaths().size();
        facts.memory(new MemoryFacts(2097152, 786432));
        agent.refresh();
        assertEquals(List.of(Toolstack.HOME + "/" + Pinned.MEMINFO_FREE, Toolstack.HOME + "/" + Pinned.UPDATED),
                writtenPaths().subList(before, writtenPaths().size()));
        long rms = proxy.requests().stream().filter(m -> m.type() == XsMessageType.XS_RM.code()).count();
        agent.refresh();
        assertEquals(before + 2, writtenPaths().size(), "and nothing more on the refresh after");
        assertEquals(rms, proxy.requests().stream().filter(m -> m.type() == XsMessageType.XS_RM.code()).count());
    }

    @Test
    void theRealLinuxFactsOfThisMachineInTheirUnits() throws Exception {
        LinuxGuestFacts linux = new LinuxGuestFacts();
        Optional<String[]> nic = firstInterfaceWithIpv4();
        assumeTrue(nic.isPresent(), "this machine has an interface with a MAC and an IPv4 address");
        String name = nic.get()[0];
        String mac = Files.readString(Path.of("/sys/class/net", name, "address")).strip();
        toolstack.unplugVif("1");
        toolstack.createDomain();
        toolstack.plugVif("0", mac);
        agent = new GuestAgent(agentSide, linux, new StoreVifDevices(agentSide, home()), home(), Duration.ofHours(1),
                Clock.systemDefaultZone());
        agent.start();
        await(() -> agent.publications() >= 1, "the first publication");

        String memTotalKb = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal:")).findFirst().orElseThrow().replaceAll("[^0-9]", "");
        assertEquals(memTotalKb, read(Pinned.MEMINFO_TOTAL), "KiB: /proc/meminfo's MemTotal in kB, unconverted");
        long free = Long.parseLong(read(Pinned.MEMINFO_FREE));
        assertTrue(free > 0 && free <= Long.parseLong(memTotalKb), "MemAvailable in KiB: " + free);
        assertEquals(run("uname", "-r"), read(Pinned.OS_UNAME), "uname -r, as xe-linux-distribution:43");
        String id = Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("ID="))
                .findFirst().orElseThrow().substring(3).replace("\"", "");
        assertEquals(id, read(Pinned.OS_DISTRO));
        assertEquals(nic.get()[1], read(Pinned.ipv4("0", 0)), "eth0's address as `ip -4 addr` shows it, on vif 0");
        assertTrue(read(Pinned.UPDATED).matches("[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}"),
                read(Pinned.UPDATED));
    }

    /** {name, first IPv4} of the first non-loopback interface `ip -o -4 addr` lists, read without Java's view. */
    private static Optional<String[]> firstInterfaceWithIpv4() throws Exception {
        String out;
        try {
            out = run("ip", "-o", "-4", "addr", "show");
        } catch (IOException e) {
            return Optional.empty();
        }
        for (String line : out.split("\n")) {
            String[] words = line.trim().split("\\s+");
            // "2: eth0    inet 10.0.0.2/24 brd ... scope global eth0"
            if (words.length > 3 && !words[1].equals("lo") && words[2].equals("inet")
                    && Files.exists(Path.of("/sys/class/net", words[1], "address"))) {
                return Optional.of(new String[] {words[1], words[3].substring(0, words[3].indexOf('/'))});
            }
        }
        return Optional.empty();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out.strip();
    }
}
