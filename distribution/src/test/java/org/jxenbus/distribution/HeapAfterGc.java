package org.jxenbus.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The heap of another JVM after a full collection, through the JDK's jcmd (GC.run, then GC.heap_info). */
final class HeapAfterGc {

    /** "garbage-first heap   total 57344K, used 7705K" (any collector prints "total NK, used NK"). */
    private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");

    private HeapAfterGc() {
    }

    /** {used, committed} in bytes. */
    static long[] of(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = HEAP.matcher(info);
        if (!m.find()) {
            throw new AssertionError("jcmd " + pid + " GC.heap_info printed no heap line:\n" + info);
        }
        return new long[] {Long.parseLong(m.group(2)) * 1024, Long.parseLong(m.group(1)) * 1024};
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("jcmd " + pid + " " + command + " failed:\n" + output);
        }
        return output;
    }
}
