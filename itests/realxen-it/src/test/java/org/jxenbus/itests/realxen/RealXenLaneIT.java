package org.jxenbus.itests.realxen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jxenbus.testsupport.XenTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Boots Xen 4.17 and a Debian dom0 under QEMU (itests/realxen/run-in-dom0.sh), runs the dom0 suite there in
 * one JVM, and collects its JUnit reports into target/realxen-reports (so they count like any other). Fails
 * on any failing dom0 test, on a boot that never reaches the suite, or on a timeout (QEMU is killed by pid).
 * A second boot puts the simulator in xenstored's place as dom0's xenstore (a kernel's xenbus cannot move to
 * another xenstore within a boot).
 */
class RealXenLaneIT {

    /** True by default (the pom): the simulator's boot runs too; false skips it (4 to 14 minutes, with the host's load). */
    static final String SIM_LANE = "realxen.sim";

    /**
     * The dom0 suite, the C xenstored serving, with a PV guest in the same boot: GuestDomainInDom0Test starts it
     * with xl from the initramfs built here first (itests/realxen/domu-initrd.sh: a jlinked runtime, the domU
     * checks and the bundles of the domU's Felix, since the guest shares nothing with the host).
     */
    @Test
    void theDom0SuitePassesOnARealHypervisor() throws Exception {
        Lane lane = Lane.run("realxen-lane", "dom0-", 1800, guestInitramfs(), "java-tests-dom0.sh");
        assertTrue(lane.tests >= 17, "dom0 tests that ran: " + lane.tests + "\n" + lane.tail());
        assertEquals(9, count(lane.reports, "classname=\"org.jxenbus.itests.realxen.dom0.GuestDomainInDom0Test\""),
                "the guest's tests in the reports\n" + lane.tail());
    }

    /** Builds (or finds cached) the PV guest's initramfs; returns the run-in-dom0.sh options that name it. */
    private static List<String> guestInitramfs() throws Exception {
        Path root = XenTools.repositoryRoot();
        List<String> command = new ArrayList<>(List.of(root.resolve("itests/realxen/domu-initrd.sh").toString(),
                root.resolve("itests/realxen/domu-job.sh").toString()));
        String classpath = Files.readString(Path.of(System.getProperty("realxen.domuClasspath"))).trim();
        command.addAll(List.of(classpath.split(":")));
        command.add(System.getProperty("realxen.testClasses"));
        Path out = Files.createTempFile("domu-initrd", ".keys");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(out.toFile());
        pb.environment().put("DOMU_BUNDLES", System.getProperty("realxen.domuBundles"));
        Process p = pb.start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("domu-initrd.sh did not end in 600 s");
        }
        String keys = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        assertEquals(0, p.exitValue(), "domu-initrd.sh failed: " + keys);
        List<String> options = new ArrayList<>();
        for (String line : keys.lines().toList()) {
            options.addAll(List.of("--env", "REALXEN_" + line));
        }
        assertEquals(4, options.size(), "domu-initrd.sh printed: " + keys);
        return options;
    }

    /**
     * The simulator as dom0's xenstore ({@code xenstored-sim --xen-dom0}): the dom0 kernel's xenbus is its
     * client; xenstore-utils and test-xenstore over its socket and /dev/xen/xenbus (smoke-dom0.sh), then the
     * client suite over both and over a ring we offer it on real grants ({@code ring:gntalloc?server=0}), and
     * the throughput of that ring against the kernel's path.
     */
    @Test
    @EnabledIfSystemProperty(named = SIM_LANE, matches = "true")
    void theSimulatorIsDom0sXenstoreOnARealHypervisor() throws Exception {
        Lane lane = Lane.run("realxen-sim-lane", "dom0-sim-", 1500, List.of("--env", "REALXEN_XENSTORED=sim",
                "--env", "REALXEN_SIM_CLASSPATH=" + System.getProperty("realxen.classpath"),
                "--env", "REALXEN_DOM0_TESTS=ClientInDom0Test XenbusWatchesInDom0Test OfferedRingThroughputInDom0Test"),
                "smoke-dom0.sh", "java-tests-dom0.sh");
        Matcher m = Pattern.compile("(?m)^(\\d+) passed, (\\d+) failed$").matcher(lane.output);
        assertTrue(m.find(), "no smoke-dom0.sh summary\n" + lane.tail());
        assertEquals("0", m.group(2), lane.tail());
        assertTrue(Integer.parseInt(m.group(1)) >= 25, m.group() + "\n" + lane.tail());
        assertTrue(lane.tests >= 10, "dom0 tests that ran: " + lane.tests + "\n" + lane.tail());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    /** One boot: run-in-dom0.sh with a job, its outcome checked and its JUnit reports collected. */
    private record Lane(String output, int tests, String reports) {

        static Lane run(String name, String reportPrefix, int timeoutSeconds, List<String> options, String... scripts)
                throws Exception {
            Path root = XenTools.repositoryRoot();
            Path dir = root.resolve("itests/realxen");
            Path results = Files.createTempDirectory(Path.of("/tmp"), "realxen-it.");
            Files.delete(results);
            Path log = Path.of(System.getProperty("realxen.reports")).getParent().resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(dir.resolve("run-in-dom0.sh").toString(), "--timeout",
                    String.valueOf(timeoutSeconds), "--results", results.toString()));
            command.addAll(options);
            for (String s : scripts) {
                command.add(dir.resolve(s).toString());
            }
            command.addAll(List.of(System.getProperty("realxen.launcher"), System.getProperty("realxen.classpath"),
                    System.getProperty("realxen.testClasses"), root.toString()));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            assertTrue(p.waitFor(timeoutSeconds + 300, TimeUnit.SECONDS), "run-in-dom0.sh itself hung");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            String outcome = Files.readString(results.resolve("outcome")).trim();
            System.out.printf("%s: %s in %d s (log %s)%n", name, outcome, seconds, log);
            List<Path> reports = collectReports(results.resolve("reports"), reportPrefix);
            Lane lane = new Lane(output, 0, "");
            assertEquals("exited 0", outcome, "lane outcome; output:\n" + lane.tail());
            assertEquals(0, p.exitValue(), lane.tail());
            int tests = 0;
            StringBuilder all = new StringBuilder();
            for (Path r : reports) {
                String xml = Files.readString(r);
                all.append(xml);
                tests += attribute(xml, "tests");
                assertEquals(0, attribute(xml, "failures") + attribute(xml, "errors"), r + "\n" + lane.tail());
            }
            return new Lane(output, tests, all.toString());
        }

        private static List<Path> collectReports(Path dir, String prefix) throws Exception {
            Path target = Path.of(System.getProperty("realxen.reports"));
            Files.createDirectories(target);
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> s = Files.list(dir)) {
                List<Path> xml = s.filter(f -> f.getFileName().toString().endsWith(".xml")).toList();
                for (Path f : xml) {
                    Files.copy(f, target.resolve("TEST-" + prefix + f.getFileName()),
                            StandardCopyOption.REPLACE_EXISTING);
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

        String tail() {
            return output.length() <= 6000 ? output : output.substring(output.length() - 6000);
        }
    }
}
