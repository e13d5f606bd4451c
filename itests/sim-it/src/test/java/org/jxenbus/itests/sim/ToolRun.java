package org.jxenbus.itests.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jxenbus.testsupport.XenTools;

/**
 * One run of a Xen tool (xenstore-utils, test-xenstore) against a xenstored socket: its exit status and
 * output, compared as a whole between the C xenstored and the simulator.
 *
 * @param command the command line as written in the session
 * @param status the exit status
 * @param stdout standard output
 * @param stderr standard error
 */
record ToolRun(String command, int status, String stdout, String stderr) {

    /** Runs {@code tool args...} from the provisioned xenstore-utils (or test-xenstore) against {@code socket}. */
    static ToolRun run(XenTools tools, Path socket, String tool, String... args) throws IOException {
        ProcessBuilder pb = tools.xenstoreTool(socket, tool, args);
        if (tool.equals("test-xenstore") || tool.equals("xenstore-control")) {
            // these two live beside xenstored, in /usr/lib/xen-4.17/bin
            List<String> cmd = new ArrayList<>(pb.command());
            cmd.set(0, tools.testXenstore().resolveSibling(tool).toString());
            pb.command(cmd);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        byte[][] out = new byte[2][];
        Thread err = new Thread(() -> {
            try {
                out[1] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                out[1] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        err.start();
        out[0] = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(tool + " did not finish within 60 s");
            }
            err.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new ToolRun(tool + " " + String.join(" ", args), p.exitValue(),
                new String(out[0], StandardCharsets.UTF_8), new String(out[1], StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "$ " + command + "  -> " + status + "\n" + stdout + (stderr.isEmpty() ? "" : "[stderr] " + stderr);
    }
}
