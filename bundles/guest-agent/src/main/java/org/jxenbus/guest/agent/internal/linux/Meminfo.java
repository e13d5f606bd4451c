package org.jxenbus.guest.agent.internal.linux;

import java.util.List;

import org.jxenbus.guest.agent.MemoryFacts;

/**
 * {@code /proc/meminfo} as both agents read it: {@code MemTotal} for the total; {@code MemAvailable} for the free
 * memory, or {@code MemFree} on kernels before 3.14 that lack it (xe-guest-utilities' {@code CollectMemory}). The
 * numbers stay in the file's unit, kB (KiB).
 */
final class Meminfo {

    private Meminfo() {
    }

    static MemoryFacts facts(List<String> lines) {
        long total = -1;
        long free = -1;
        long available = -1;
        for (String line : lines) {
            String[] words = line.split("[:\\s]+");
            if (words.length < 2) {
                continue;
            }
            switch (words[0]) {
                case "MemTotal" -> total = Long.parseLong(words[1]);
                case "MemFree" -> free = Long.parseLong(words[1]);
                case "MemAvailable" -> available = Long.parseLong(words[1]);
                default -> {
                    // other counters are not published
                }
            }
        }
        if (total < 0 || (free < 0 && available < 0)) {
            throw new IllegalArgumentException("no MemTotal and MemAvailable or MemFree in /proc/meminfo");
        }
        return new MemoryFacts(total, available >= 0 ? available : free);
    }
}
