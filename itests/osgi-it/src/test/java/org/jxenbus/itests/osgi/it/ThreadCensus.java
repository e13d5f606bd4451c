package org.jxenbus.itests.osgi.it;

import java.util.Map;
import java.util.TreeMap;

/**
 * The live threads of this JVM at one moment, counted by name with the trailing counter removed
 * ({@code xenstore-io-7} counts as {@code xenstore-io-#}).
 */
record ThreadCensus(int total, Map<String, Integer> byName) {

    /** Our own threads' common prefix (core, watch service, transports). */
    static final String OURS = "xenstore-";

    static ThreadCensus take() {
        Map<String, Integer> byName = new TreeMap<>();
        int total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                total++;
                byName.merge(t.getName().replaceAll("\\d+", "#"), 1, Integer::sum);
            }
        }
        return new ThreadCensus(total, byName);
    }

    /** Threads whose name starts with {@code prefix}. */
    int named(String prefix) {
        return byName.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToInt(Map.Entry::getValue)
                .sum();
    }

    @Override
    public String toString() {
        return total + " threads, " + named(OURS) + " of them " + OURS + "*: " + byName;
    }
}
