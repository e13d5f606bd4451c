package org.jxenbus.itests.realxen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jxenbus.testsupport.XenTools;
import org.junit.jupiter.api.Test;

/**
 * Boots Xen 4.17 and a Debian dom0 under QEMU (itests/realxen/run-in-dom0.sh), runs the dom0 suite there in
 * one JVM, and collects its JUnit reports into target/realxen-reports (so they count like any other). Fails
 * on any failing dom0 test, on a boot that never reaches the suite, or on a timeout (QEMU is killed by pid).
 */
class RealXenLaneIT {

    @Test
    void theDom0SuitePassesOnARealHypervisor() throws Exception {
        Path root = XenTools.repositoryRoot();
        Path lane = root.resolve("itests/realxen");
        Path results = Files.createTempDirectory(Path.of("/tmp"), "realxen-it.");
        Files.delete(results);
        Path log = Path.of(System.getProperty("realxen.reports")).getParent().resolve("realxen-lane.log");
        ProcessBuilder pb = new ProcessBuilder(lane.resolve("run-in-dom0.sh").toString(), "--timeout", "900",
                "--results", results.toString(), lane.resolve("java-tests-dom0.sh").toString(),
                System.getProperty("realxen.launcher"), System.getProperty("realxen.classpath"),
                System.getProperty("realxen.testClasses"), root.toString());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        assertTrue(p.waitFor(20, TimeUnit.MINUTES), "run-in-dom0.sh itself hung");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        String outcome = Files.readString(results.resolve("outcome")).trim();
        System.out.printf("real-Xen lane: %s in %d s (log %s)%n", outcome, seconds, log);
        List<Path> reports = collectReports(results.resolve("reports"));
        assertEquals("exited 0", outcome, "lane outcome; output:\n" + tail(output));
        assertEquals(0, p.exitValue(), tail(output));
        int tests = 0;
        for (Path r : reports) {
            String xml = Files.readString(r);
            tests += attribute(xml, "tests");
            assertEquals(0, attribute(xml, "failures") + attribute(xml, "errors"), r + "\n" + tail(output));
        }
        assertTrue(tests >= 10, "dom0 tests that ran: " + tests + "\n" + tail(output));
    }

    private static List<Path> collectReports(Path dir) throws Exception {
        Path target = Path.of(System.getProperty("realxen.reports"));
        Files.createDirectories(target);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> xml = s.filter(f -> f.getFileName().toString().endsWith(".xml")).toList();
            for (Path f : xml) {
                Files.copy(f, target.resolve("TEST-dom0-" + f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            return xml;
        }
    }

    private static int attribute(String xml, String name) {
        Matcher m = Pattern.compile("<testsuite[^>]*\\s" + name + "=\"(\\d+)\"").matcher(xml);
        int total = 0;
        while (m.find()) {
            total += Integer.parseInt(m.group(1));
        }
        return total;
    }

    private static String tail(String text) {
        return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
    }
}
