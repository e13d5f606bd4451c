package org.jxenbus.guest.agent;

/**
 * Memory in KiB, the unit of Linux's {@code /proc/meminfo} and of {@code data/meminfo_*}.
 *
 * @param totalKib all usable memory ({@code MemTotal})
 * @param freeKib memory available to new work without swapping ({@code MemAvailable}; {@code MemFree} where the
 *        kernel does not report that)
 */
public record MemoryFacts(long totalKib, long freeKib) {

    /** Checks both are non-negative. */
    public MemoryFacts {
        if (totalKib < 0 || freeKib < 0) {
            throw new IllegalArgumentException("memory must not be negative: total " + totalKib + " free " + freeKib);
        }
    }
}
