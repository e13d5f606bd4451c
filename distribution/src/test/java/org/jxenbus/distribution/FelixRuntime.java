package org.jxenbus.distribution;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of {@code bin/jxenbus} in a runtime folder of its own, its Gogo console fed through a pipe. Gogo
 * commands run one at a time: each is followed by an {@code echo} of a numbered marker, and its output is what
 * the console printed before the marker. Stopped by its pid (SIGTERM, which Felix's shutdown hook turns into a
 * clean framework stop); the launcher execs the JVM, so the pid is the JVM's.
 */
final class FelixRuntime implements AutoCloseable {

    private static final String PROMPT = "g! ";
    private static final Duration ANSWER = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(60);

    private final Process process;
    private final long started;
    private final OutputStream console;
    private final Lines out;
    private final Lines err;
    private int commands;

    private FelixRuntime(Process process, long started) {
        this.process = process;
        this.started = started;
        this.console = process.getOutputStream();
        this.out = new Lines(process.getInputStream(), "jxenbus-stdout");
        this.err = new Lines(process.getErrorStream(), "jxenbus-stderr");
    }

    /**
     * Starts {@code home/bin/jxenbus} with the runtime folder {@code runtime} (which it creates), on this JVM's
     * Java, with {@code env} added to the environment.
     */
    static FelixRuntime start(Path home, Path runtime, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/jxenbus").toString());
        pb.environment().keySet().removeIf(name -> name.startsWith("JXENBUS_") || name.equals("XENSTORED_PATH"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JXENBUS_RUNTIME", runtime.toString());
        pb.environment().putAll(env);
        long started = System.nanoTime();
        return new FelixRuntime(pb.start(), started);
    }

    /** Polls {@code lb -l} until every bundle is ACTIVE and returns them by id; fails after {@link #SETTLE}. */
    Map<Long, Bundle> untilAllActive() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Map<Long, Bundle> bundles;
        do {
            bundles = Bundle.table(gogo("lb -l", ANSWER));
            if (!bundles.isEmpty() && bundles.values().stream().allMatch(b -> b.state().equals("Active"))) {
                return bundles;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not every bundle is ACTIVE after " + SETTLE + ": " + bundles.values());
    }

    /** Polls the services bundle {@code id} registers until one has the interface {@code service}. */
    void untilRegistered(long id, String service) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        do {
            if (gogo("inspect capability service " + id, ANSWER).stream().anyMatch(line -> line.contains(service))) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("bundle " + id + " registered no " + service + " within " + SETTLE + "; stderr:\n"
                + String.join("\n", err.all()));
    }

    long pid() {
        return process.pid();
    }

    /** Nanoseconds since the launcher was started. */
    long elapsedNanos() {
        return System.nanoTime() - started;
    }

    /** Runs one Gogo command line and returns the lines it printed (the prompt taken off). */
    List<String> gogo(String commandLine, Duration timeout) throws IOException, InterruptedException {
        String marker = "@@end-of-command-" + ++commands + "@@";
        console.write((commandLine + "\necho " + marker + "\n").getBytes(StandardCharsets.UTF_8));
        console.flush();
        List<String> printed = out.until(marker, timeout);
        if (printed == null) {
            throw new AssertionError("no answer to '" + commandLine + "' within " + timeout + "; stdout:\n"
                    + String.join("\n", out.all()) + "\nstderr:\n" + String.join("\n", err.all()));
        }
        List<String> lines = new ArrayList<>();
        for (String line : printed) {
            while (line.startsWith(PROMPT)) {
                line = line.substring(PROMPT.length());
            }
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** Stops the JVM by its pid and waits for it; returns its exit status. */
    int stop() throws InterruptedException {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("bin/jxenbus (pid " + process.pid() + ") did not stop within 30 s of SIGTERM");
        }
        out.join();
        err.join();
        return process.exitValue();
    }

    /** Everything printed on stdout so far. */
    List<String> stdout() {
        return out.all();
    }

    /** Everything printed on stderr so far. */
    List<String> stderr() {
        return err.all();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    /** One row of {@code lb -l}. */
    record Bundle(long id, String state, String location) {

        private static final Pattern ROW = Pattern.compile("\\s*(\\d+)\\|(\\w+)\\s*\\|\\s*(\\d+)\\|([^|]*).*");

        /** The rows of {@code lb -l}'s table, by id. */
        static Map<Long, Bundle> table(List<String> lb) {
            Map<Long, Bundle> bundles = new TreeMap<>();
            for (String line : lb) {
                Matcher m = ROW.matcher(line);
                if (m.matches()) {
                    long id = Long.parseLong(m.group(1));
                    bundles.put(id, new Bundle(id, m.group(2), m.group(4).trim()));
                }
            }
            return bundles;
        }

        /** The id of the bundle installed from bundle/PREFIX*.jar. */
        static long id(Map<Long, Bundle> bundles, String jarPrefix) {
            return bundles.values().stream().filter(b -> b.location.contains("/bundle/" + jarPrefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no bundle " + jarPrefix + "*: " + bundles.values())).id;
        }
    }

    /** The lines of one of the JVM's output streams, read by a thread of their own. */
    private static final class Lines {
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;
        private int consumed;
        private boolean ended;

        Lines(InputStream in, String name) {
            reader = new Thread(() -> read(in), name);
            reader.setDaemon(true);
            reader.start();
        }

        private void read(InputStream in) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (this) {
                        lines.add(line.replace("\r", ""));
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                synchronized (this) {
                    ended = true;
                    notifyAll();
                }
            }
        }

        /** The lines after the last consumed one up to the one holding the marker (not included); null on timeout. */
        synchronized List<String> until(String marker, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int i = consumed; ; ) {
                for (; i < lines.size(); i++) {
                    String line = lines.get(i);
                    int at = line.indexOf(marker);
                    if (at >= 0) {
                        List<String> before = new ArrayList<>(lines.subList(consumed, i));
                        before.add(line.substring(0, at));
                        consumed = i + 1;
                        return before;
                    }
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized List<String> all() {
            return new ArrayList<>(lines);
        }

        void join() throws InterruptedException {
            reader.join(10_000);
        }
    }
}
