package org.jxenbus.guest.agent.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.jxenbus.guest.agent.MemoryFacts;
import org.junit.jupiter.api.Test;

/**
 * guestmetric_linux.go CollectMemory (xenserver/xe-guest-utilities@244c56f, 70-79): MemTotal, and MemAvailable
 * over MemFree; xen-guest-agent src/collector_memory_linux.rs:14-19 (xcp-ng@ec99f28): MemTotal and MemAvailable.
 * Both keep /proc/meminfo's kB.
 */
class MeminfoTest {

    @Test
    void freeIsMemAvailableInKib() {
        MemoryFacts m = Meminfo.facts(List.of(
                "MemTotal:        2048000 kB",
                "MemFree:          100000 kB",
                "MemAvailable:    1500000 kB",
                "Buffers:           20000 kB",
                "Active(anon):      30000 kB"));
        assertEquals(new MemoryFacts(2048000, 1500000), m);
    }

    @Test
    void kernelsWithoutMemAvailableReportMemFree() {
        assertEquals(new MemoryFacts(1024000, 300000),
                Meminfo.facts(List.of("MemTotal: 1024000 kB", "MemFree: 300000 kB", "Buffers: 1 kB")));
    }

    @Test
    void aFileWithoutTheCountersIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Meminfo.facts(List.of("Buffers: 1 kB")));
    }
}
