package org.jxenbus.itests.sim;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.jxenbus.testsupport.TestSize;
import org.jxenbus.xenstore.sim.SimulatorOptions;
import org.junit.jupiter.api.Test;

/**
 * The simulator against the real C xenstored 4.17: seeded random request sequences ({@link Generator}) from
 * two privileged sockets, dom0's ring and up to four guests, run in lock step on both; every reply and every
 * client's watch events must be the same ({@link Normalisation} lists the only exceptions). Each batch starts
 * both servers afresh. On a disagreement the sequence is shrunk and printed. Prints the coverage matrix.
 *
 * <p>CI: 100,000 requests against the simulator in the JVM and 10,000 against the simulator serving a socket
 * and rings; {@code -Djxenbus.full=true}: ten times more; {@code -Djxenbus.sim.requests=N}: N each.
 * {@code -Djxenbus.seed=N} repeats a run.
 */
class DifferentialTest {

    static final int BATCH = 2_500;

    @Test
    void simulatorInTheJvmAnswersAsXenstoredDoes() {
        run("in the JVM (sim:)", Integer.getInteger("jxenbus.sim.requests", TestSize.pick(100_000, 1_000_000)), () -> Server.simulator(options()));
    }

    @Test
    void simulatorOnSocketAndRingsAnswersAsXenstoredDoes() {
        run("on a socket and rings", Integer.getInteger("jxenbus.sim.requests", TestSize.pick(10_000, 100_000)), () -> {
            try {
                return Server.simulatorOnFolder(options());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static SimulatorOptions options() {
        return SimulatorOptions.defaults();
    }

    private static void run(String what, int total, Supplier<Server> simulator) {
        long seed = Long.getLong("jxenbus.seed", System.nanoTime());
        Supplier<Server> c = Server::xenstored;
        Coverage coverage = new Coverage();
        long started = System.nanoTime();
        int done = 0;
        for (int batch = 0; done < total; batch++) {
            long batchSeed = seed + batch;
            int n = Math.min(BATCH, total - done);
            List<Op> ops = new ArrayList<>();
            String diff;
            try (Lockstep l = new Lockstep(c, simulator)) {
                Generator g = new Generator(batchSeed, l.model);
                diff = runBatch(l, g, n, ops);
                coverage.addAll(l.coverage);
            } catch (IOException e) {
                diff = "failure: " + e;
            }
            if (diff != null) {
                report(what, batchSeed, ops, diff, c, simulator, coverage);
            }
            done += n;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%nDifferential test, simulator %s: %d generated requests (%d with barriers and prelude) "
                + "in %.1f s, seed %d; no disagreement%n", what, done, coverage.requests(), seconds, seed);
        System.out.println(coverage.matrix());
        printRules();
    }

    private static String runBatch(Lockstep l, Generator g, int n, List<Op> ops) throws IOException {
        for (Op op : g.prelude()) {
            ops.add(op);
            String diff = l.apply(op);
            if (diff != null) {
                return diff;
            }
        }
        for (int i = 0; i < n; i++) {
            Op op = g.next();
            ops.add(op);
            String diff = l.apply(op);
            if (diff != null) {
                return diff;
            }
        }
        return null;
    }

    private static void report(String what, long seed, List<Op> ops, String diff, Supplier<Server> c,
            Supplier<Server> sim, Coverage coverage) {
        StringBuilder b = new StringBuilder();
        b.append("The simulator ").append(what).append(" disagrees with xenstored (batch seed ").append(seed)
                .append(", after ").append(ops.size()).append(" requests): ").append(diff).append('\n');
        Shrinker s = new Shrinker(c, sim, Integer.getInteger("jxenbus.shrink.trials", 400),
                Long.getLong("jxenbus.shrink.millis", 240_000L));
        String again = s.replay(ops);
        if (again == null) {
            b.append("Replaying the sequence on fresh servers did not disagree: timing-dependent. The sequence:\n");
            for (Op op : ops) {
                b.append("  ").append(op).append('\n');
            }
        } else {
            List<Op> shortest = s.shrink(ops);
            b.append("Shortest reproducing sequence found (").append(shortest.size()).append(" requests, ")
                    .append(s.trials()).append(" trials): ").append(s.replay(shortest)).append('\n');
            for (Op op : shortest) {
                b.append("  ").append(op).append('\n');
            }
        }
        b.append(coverage.matrix());
        System.out.println(b);
        fail(b.toString());
    }

    private static void printRules() {
        System.out.println("Normalisations:");
        Normalisation.RULES.forEach(r -> System.out.println("  - " + r));
        System.out.println("Not sent:");
        Normalisation.NOT_SENT.forEach(r -> System.out.println("  - " + r));
    }
}
