package org.jxenbus.xenstore.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.FakeXenHost;

/** Debian's xenstore-utils 4.17 tools, run against the test's xenstored: the reference output. */
final class XenstoreUtils {

    private XenstoreUtils() {
    }

    /**
     * Runs {@code tool} ({@code xenstore-read} ...) with {@code args} and returns its exit status and output.
     *
     * @throws IllegalStateException if it does not end within 30 s
     */
    static GogoShell.Outcome run(FakeXenHost host, String tool, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(host.dir(), "tool-", ".out");
        Path err = Files.createTempFile(host.dir(), "tool-", ".err");
        try {
            ProcessBuilder pb = host.tools().xenstoreTool(host.socket(), tool, args);
            // By bare name through PATH, as a user types it: the tools print argv[0] in usage and getopt messages.
            pb.command().set(0, tool);
            pb.command().addAll(0, List.of("env", "PATH=" + host.tools().xenstoreBin() + ":" + System.getenv("PATH")));
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(tool + " did not end");
            }
            return new GogoShell.Outcome(p.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    /** Runs {@code tool} and fails unless it succeeds; for building fixtures. */
    static void must(FakeXenHost host, String tool, String... args) throws IOException, InterruptedException {
        GogoShell.Outcome o = run(host, tool, args);
        if (o.status() != 0) {
            throw new IllegalStateException(tool + " failed: " + o.describe());
        }
    }
}
