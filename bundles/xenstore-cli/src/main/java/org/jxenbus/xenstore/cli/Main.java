package org.jxenbus.xenstore.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.util.OptionalInt;

import org.jxenbus.xenstore.cli.command.XenstoreCommand;
import org.jxenbus.xenstore.client.Xenstore;

/**
 * Entry point of the {@code xenstore} command: {@code xenstore [--connect URI] <mode> [options] args...}, or
 * {@code xenstore-<mode> [--connect URI] [options] args...} when started under that name.
 *
 * <p>The launcher passes what the JVM cannot see: the invoked name in {@value #PROGRAM_NAME} (default
 * {@code xenstore}) and, when standard output is a terminal, its width in {@value #TERMINAL_COLUMNS}.
 * Exits with 0 or 1 as xenstore-utils does.
 */
public final class Main {

    /** System property: the name the command was started under, e.g. {@code xenstore-read}. */
    public static final String PROGRAM_NAME = "xenstore.progname";
    /** System property: standard output's terminal width, set only when it is a terminal. */
    public static final String TERMINAL_COLUMNS = "xenstore.columns";

    private Main() {
    }

    /**
     * Runs the command and exits.
     *
     * @param args the arguments after the program name
     */
    public static void main(String[] args) {
        silenceLibraryLogging();
        XenstoreCommand command = XenstoreCommand.overOpenedStore(new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err), System.getenv(), Xenstore::open, terminalColumns(),
                System.getenv("POSIXLY_CORRECT") != null);
        int status;
        try {
            status = command.run(System.getProperty(PROGRAM_NAME, "xenstore"), RawArguments.of(args));
        } catch (RuntimeException | Error e) {
            e.printStackTrace(); // a defect: show it, then end the process despite the library's threads
            status = 1;
        }
        System.exit(status);
    }

    /**
     * The library reports connection trouble through {@link System.Logger}; the command reports failures
     * itself, in the real tool's words, so the library's lines would only disturb its standard error. Both
     * logging back ends are quietened unless configured explicitly: java.util.logging (bound whenever the
     * JDK's java.logging module is present) gets a configuration without handlers, the JDK's fallback
     * console logger the level OFF.
     */
    static void silenceLibraryLogging() {
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            System.setProperty("java.util.logging.config.file", "/dev/null");
        }
        if (System.getProperty("jdk.system.logger.level") == null) {
            System.setProperty("jdk.system.logger.level", "OFF");
        }
    }

    private static OptionalInt terminalColumns() {
        String value = System.getProperty(TERMINAL_COLUMNS);
        if (value == null || value.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
