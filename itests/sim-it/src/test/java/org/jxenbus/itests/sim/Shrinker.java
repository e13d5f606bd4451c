package org.jxenbus.itests.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Shortens a request sequence on which the servers disagree to one that still makes them disagree, by
 * dropping ever smaller runs of requests (delta debugging), each trial on fresh servers. Bounded in trials
 * and time; the result is the shortest sequence found.
 */
final class Shrinker {

    private final Supplier<Server> reference;
    private final Supplier<Server> candidate;
    private final int maxTrials;
    private final long deadline;
    private int trials;

    Shrinker(Supplier<Server> reference, Supplier<Server> candidate, int maxTrials, long maxMillis) {
        this.reference = reference;
        this.candidate = candidate;
        this.maxTrials = maxTrials;
        this.deadline = System.currentTimeMillis() + maxMillis;
    }

    /** The first disagreement replaying {@code ops} on fresh servers, or null if they agree throughout. */
    String replay(List<Op> ops) {
        trials++;
        try (Lockstep l = new Lockstep(reference, candidate)) {
            for (int i = 0; i < ops.size(); i++) {
                String diff = l.apply(ops.get(i));
                if (diff != null) {
                    return "request " + (i + 1) + " of " + ops.size() + " (" + ops.get(i) + "): " + diff;
                }
            }
            return null;
        } catch (Exception e) {
            return "failure: " + e;
        }
    }

    /** Whether a replay's failure is the C daemon dying rather than a disagreement. */
    private static boolean died(String failure) {
        return failure.contains("closed the socket") || failure.contains("died before answering");
    }

    /**
     * The shortest failing sequence found within the budget (at least {@code ops} itself if it fails); only
     * failures of the same kind count (a disagreement is not shrunk into a sequence that kills xenstored).
     */
    List<Op> shrink(List<Op> ops) {
        String original = replay(ops);
        boolean originalDied = original != null && died(original);
        List<Op> current = new ArrayList<>(ops);
        int chunks = 2;
        while (current.size() >= 2 && trials < maxTrials && System.currentTimeMillis() < deadline) {
            int size = (current.size() + chunks - 1) / chunks;
            boolean removed = false;
            for (int start = current.size() - size; start > -size && !removed; start -= size) {
                int from = Math.max(0, start);
                List<Op> candidateOps = new ArrayList<>(current.subList(0, from));
                candidateOps.addAll(current.subList(Math.min(current.size(), start + size), current.size()));
                if (candidateOps.isEmpty() || trials >= maxTrials || System.currentTimeMillis() >= deadline) {
                    continue;
                }
                String failure = replay(candidateOps);
                if (failure != null && died(failure) == originalDied) {
                    current = candidateOps;
                    chunks = Math.max(chunks - 1, 2);
                    removed = true;
                }
            }
            if (!removed) {
                if (chunks >= current.size()) {
                    break;
                }
                chunks = Math.min(current.size(), chunks * 2);
            }
        }
        return current;
    }

    int trials() {
        return trials;
    }
}
