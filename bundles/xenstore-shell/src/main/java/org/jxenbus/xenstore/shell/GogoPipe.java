package org.jxenbus.xenstore.shell;

import java.io.PrintStream;

import org.apache.felix.service.command.Process;

/**
 * The streams and status of the Gogo pipe a command runs in: {@code Process.Utils.current()}'s, or, for a caller
 * outside a pipe, {@code System.out} and {@code System.err} (which Gogo's ThreadIO redirects per thread) with
 * the status left to the messages already printed.
 *
 * @param out where the command prints
 * @param err where it reports failures
 * @param process the pipe, or {@code null} outside one
 */
record GogoPipe(PrintStream out, PrintStream err, Process process) {

    /** The calling thread's pipe. */
    static GogoPipe current() {
        Process process = Process.Utils.current();
        return process == null ? new GogoPipe(System.out, System.err, null)
                : new GogoPipe(process.out(), process.err(), process);
    }

    /** Reports the command's exit status: non-zero makes the pipe fail, as {@code &&} and {@code ||} see it. */
    void exit(int status) {
        if (process != null && status != 0) {
            process.error(status);
        }
    }
}
