package org.jxenbus.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.jxenbus.testsupport.FakeXenHost;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/xenstore-bench} as itests/bench/run-benchmarks.sh runs it, with tiny sizes against the real
 * xenstored: the report's lines in order for each op, blocking and with {@code --async} ({@code --op watch}: every
 * write's events counted, fanout times), {@code req/s=<number>} last, its nodes removed after, and a bad command
 * line refused with the usage.
 * Measures nothing.
 */
class XenstoreBenchIT {

    private static final Path BIN = Path.of(System.getProperty("jxenbus.home", "target/jxenbus"), "bin",
            "xenstore-bench");
    private static final Pattern REPORT = Pattern.compile("connect=unix:\\S+ op=(read|write|txn) threads=3 size=7"
            + " requests=40 max-in-flight=\\d+( async=5)?\nops=40 elapsed_s=\\d+\\.\\d+\ncpu_us_per_op=\\d+\\.\\d\n"
            + "p50_us=\\d+\\.\\d\np99_us=\\d+\\.\\d\nreq/s=\\d+\\.\\d\n");
    private static final Pattern WATCH_REPORT = Pattern.compile("connect=unix:\\S+ op=watch threads=3 size=7"
            + " requests=40 max-in-flight=\\d+\nops=40 elapsed_s=\\d+\\.\\d+\ncpu_us_per_op=\\d+\\.\\d\n"
            + "p50_us=\\d+\\.\\d\np99_us=\\d+\\.\\d\nwatches=25 fanout=4 setup_s=\\d+\\.\\d+\n"
            + "events=160 events_per_write=4\\.00 dispatch_cpu_us_per_event=-?\\d+\\.\\d\\d\n"
            + "events/s=\\d+\\.\\d\nreq/s=\\d+\\.\\d\n");

    @Test
    void eachOpReportsItsRateOnTheLastLineAndLeavesNoNodes() throws Exception {
        try (FakeXenHost host = FakeXenHost.start()) {
            List<Run> runs = List.of(new Run("read", "--max-in-flight", "2", " max-in-flight=2\n"),
                    new Run("write", "--max-in-flight", "2", " max-in-flight=2\n"),
                    new Run("txn", "--max-in-flight", "2", " max-in-flight=2\n"),
                    new Run("read", "--async", "5", " async=5\n"), new Run("write", "--async", "5", " async=5\n"));
            for (Run run : runs) {
                Process p = bench("--connect", host.socketUri().toString(), "--threads", "3", "--op", run.op(), "--size",
                        "7", "--requests", "40", run.option(), run.value());
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), out);
                assertTrue(REPORT.matcher(out).matches(), out);
                assertTrue(out.contains("op=" + run.op() + " ") && out.contains(run.header()), out);
            }
            Process watch = bench("--connect", host.socketUri().toString(), "--threads", "3", "--op", "watch", "--size",
                    "7", "--requests", "40", "--warmup", "10", "--watches", "25", "--fanout", "4");
            String out = new String(watch.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(watch.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, watch.exitValue(), out);
            assertTrue(WATCH_REPORT.matcher(out).matches(), out);
            Process list = host.tools().xenstoreTool(host.socket(), "xenstore-list", "/bench").start();
            assertEquals("", new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertTrue(list.waitFor(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void refusesAnUnknownOpAndAsynchronousTransactionsWithTheUsage() throws Exception {
        Process p = bench("--op", "delete");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        assertTrue(err.startsWith("--op must be read, write, txn or watch: delete\nusage: xenstore-bench [--connect URI]"),
                err);
        Process txn = bench("--op", "txn", "--async", "4");
        String txnErr = new String(txn.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(txn.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, txn.exitValue());
        assertTrue(txnErr.startsWith("--async works with --op read or write only\nusage: xenstore-bench"), txnErr);
    }

    /** One run: its op, the option that says how it runs and its value, and what the header then says. */
    private record Run(String op, String option, String value, String header) {
    }

    private static Process bench(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(BIN.toString());
        pb.command().addAll(List.of(args));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        return pb.start();
    }
}
