package org.jxenbus.guest.agent.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jxenbus.guest.agent.InterfaceFacts;
import org.jxenbus.guest.agent.MemoryFacts;
import org.jxenbus.guest.agent.OsFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxGuestFactsTest {

    @Test
    void readsTheFilesOfTheSystemUnderItsRoot(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("usr/lib"));
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.writeString(root.resolve("usr/lib/os-release"), "ID=fedora\nVERSION_ID=40\nPRETTY_NAME=\"Fedora Linux 40\"\n");
        Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "6.8.5-301.fc40.x86_64\n");
        Files.writeString(root.resolve("proc/meminfo"), "MemTotal: 4000000 kB\nMemFree: 10 kB\nMemAvailable: 3000000 kB\n");
        LinuxGuestFacts facts = new LinuxGuestFacts(root);
        assertEquals(new OsFacts("fedora", "40", "unknown", "Fedora Linux 40", "6.8.5-301.fc40.x86_64"), facts.os(),
                "/usr/lib/os-release when /etc has none");
        assertEquals(new MemoryFacts(4000000, 3000000), facts.memory());
    }

    @Test
    void aMissingFileIsAnUncheckedIoError(@TempDir Path root) {
        assertThrows(UncheckedIOException.class, () -> new LinuxGuestFacts(root).memory());
    }

    @Test
    void thisMachinesFactsAreItsOwn() throws Exception {
        LinuxGuestFacts facts = new LinuxGuestFacts();
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip(), facts.os().uname());
        String memTotal = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .findFirst().orElseThrow().replaceAll("[^0-9]", "");
        assertEquals(Long.parseLong(memTotal), facts.memory().totalKib(), "KiB, as /proc/meminfo's kB");
        List<InterfaceFacts> interfaces = facts.interfaces();
        for (InterfaceFacts i : interfaces) {
            assertFalse(i.name().equals("lo"), "no loopback");
            Path sysfs = Path.of("/sys/class/net", i.name(), "address");
            if (Files.exists(sysfs)) {
                assertEquals(Files.readString(sysfs).strip(), i.mac(), "the MAC as sysfs shows it");
            }
            assertTrue(i.mac().matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"), i.mac());
        }
    }
}
