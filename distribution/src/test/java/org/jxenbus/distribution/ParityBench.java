package org.jxenbus.distribution;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;

/**
 * Runs the same command line with Debian's xenstore-utils 4.17 and with jxenbus's {@code bin/xenstore}
 * against one real xenstored on the fake hypervisor. Each side's tools are reached by bare name through
 * {@code PATH} (a folder of links to the real binaries, or the distribution's {@code bin}), with
 * {@code XENSTORED_PATH} naming the socket, so neither needs an option to find the store. Before every run
 * the {@link Fixture} is rebuilt; after it, the fixture's subtrees are dumped with the real
 * {@code xenstore-ls -f -p}.
 *
 * <p>Not thread-safe: runs one tool at a time (the store is shared). Processes are stopped by their own
 * handle, never by name.
 */
final class ParityBench implements AutoCloseable {

    /** The reference's program names: one binary dispatching on its name. */
    static final List<String> TOOL_NAMES = List.of("xenstore", "xenstore-read", "xenstore-write", "xenstore-ls",
            "xenstore-list", "xenstore-rm", "xenstore-exists", "xenstore-chmod", "xenstore-watch");

    private static final Duration RUN_LIMIT = Duration.ofSeconds(30);
    private static final Duration LINE_WAIT = Duration.ofSeconds(15);
    /** Variables that would change either side's behaviour or output if inherited. */
    private static final List<String> CLEARED = List.of("POSIXLY_CORRECT", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
            "_JAVA_OPTIONS", "JXENBUS_JAVA_OPTS", "XENSTORED_RUNDIR", "LD_PRELOAD");

    private final FakeXenHost host;
    private final Path realBin;
    private final Path ourBin;
    private final Path scratch;

    private ParityBench(FakeXenHost host, Path realBin, Path ourBin, Path scratch) {
        this.host = host;
        this.realBin = realBin;
        this.ourBin = ourBin;
        this.scratch = scratch;
    }

    /**
     * Starts xenstored and prepares both sides.
     *
     * @param ourHome the distribution's {@code target/jxenbus}
     */
    static ParityBench start(Path ourHome) throws IOException {
        Path ourBin = ourHome.resolve("bin");
        if (!Files.isExecutable(ourBin.resolve("xenstore"))) {
            throw new IllegalStateException(ourBin + "/xenstore is missing: build the distribution first");
        }
        FakeXenHost host = FakeXenHost.start();
        try {
            Path scratch = Files.createTempDirectory(Path.of("/tmp"), "jxb-parity-");
            Path realBin = Files.createDirectory(scratch.resolve("real-bin"));
            for (String name : TOOL_NAMES) {
                Files.createSymbolicLink(realBin.resolve(name), host.tools().xenstoreBin().resolve(name));
            }
            return new ParityBench(host, realBin, ourBin, scratch);
        } catch (IOException | RuntimeException e) {
            host.close();
            throw e;
        }
    }

    /** A folder for the tests' own files; removed on close. */
    Path scratch() {
        return scratch;
    }

    /** xenstored's socket. */
    Path socket() {
        return host.socket();
    }

    /** Rebuilds the fixture, runs {@code call} on {@code side}, and dumps the fixture's subtrees. */
    Outcome run(Side side, ToolCall call) throws IOException, InterruptedException {
        resetFixture();
        Path out = scratch.resolve("stdout");
        Path err = scratch.resolve("stderr");
        List<String> cmd = new ArrayList<>();
        cmd.add("/usr/bin/env");
        cmd.addAll(call.argv());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        CLEARED.forEach(env::remove);
        env.put("PATH", (side == Side.REAL ? realBin : ourBin) + ":" + System.getenv("PATH"));
        env.put("XENSTORED_PATH", socket().toString());
        env.put("LD_LIBRARY_PATH", host.tools().libDir().toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        call.environment().forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        Process p = pb.start();
        try {
            for (ToolCall.Trigger t : call.triggers()) {
                awaitLines(out, t.afterLines(), p);
                realTool("xenstore-write", t.writeArgs());
            }
            if (!p.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Outcome(-1, Files.readAllBytes(out), Files.readAllBytes(err), "(timed out)");
            }
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        return new Outcome(p.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err), state());
    }

    /** Waits until {@code file} holds {@code lines} newlines or the process ends. */
    private static void awaitLines(Path file, int lines, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + LINE_WAIT.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            byte[] b = Files.readAllBytes(file);
            int n = 0;
            for (byte x : b) {
                n += x == '\n' ? 1 : 0;
            }
            if (n >= lines) {
                return;
            }
            Thread.sleep(10);
        }
    }

    private void resetFixture() throws IOException, InterruptedException {
        for (List<String> c : Fixture.commands()) {
            String result = realTool(c.get(0), c.subList(1, c.size()));
            if (!result.startsWith("0\n")) {
                throw new IllegalStateException("fixture command " + c + " failed: " + result);
            }
        }
    }

    /** The fixture's subtrees as {@code xenstore-ls -f -p} prints them, with its errors and statuses. */
    private String state() throws IOException, InterruptedException {
        StringBuilder b = new StringBuilder();
        for (String root : Fixture.ROOTS) {
            b.append(realTool("xenstore-ls", List.of("-f", "-p", root)));
        }
        return b.toString();
    }

    /** Runs a real tool directly; returns its status, stdout and stderr as text. */
    String realTool(String tool, List<String> args) throws IOException, InterruptedException {
        Path err = scratch.resolve("tool-stderr");
        Process p = host.tools().xenstoreTool(socket(), tool, args.toArray(String[]::new))
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        byte[] stdout = p.getInputStream().readAllBytes();
        if (!p.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(tool + " " + args + " did not end");
        }
        return p.exitValue() + "\n" + new String(stdout, StandardCharsets.ISO_8859_1)
                + new String(Files.readAllBytes(err), StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        host.close();
        try (var files = Files.walk(scratch)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
