package org.jxenbus.xenstore.cli.command;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes messages to standard error exactly as glibc's {@code warnx}, {@code warn}, {@code errx} and
 * {@code err} do: {@code "<program>: <message>\n"}, with {@code ": <strerror>"} before the newline for the
 * forms that report an errno. The program name is the short one (the invoked name without directories).
 * Each message is one unbuffered write, like stderr in C.
 *
 * <p>Not thread-safe: the command's main thread is its only user.
 */
final class Diagnostics {

    /** Exit status of every {@code err}/{@code errx}. */
    static final int FAILURE = 1;

    private final String programName;
    private final OutputStream stderr;

    /**
     * @param programName the short program name, e.g. {@code xenstore-read}
     * @param stderr standard error, written unbuffered
     */
    Diagnostics(String programName, OutputStream stderr) {
        this.programName = programName;
        this.stderr = stderr;
    }

    /** {@code warnx}: the program name and the message. */
    void warnx(String message) {
        line(programName + ": " + message);
    }

    /** {@code warn}: like {@link #warnx}, then {@code ": "} and the error's text. */
    void warn(String message, String strerror) {
        warnx(message + ": " + strerror);
    }

    /** {@code errx}: {@link #warnx}, then the exit, which the caller throws. */
    CommandExit errx(String message) {
        warnx(message);
        return new CommandExit(FAILURE);
    }

    /** {@code err}: {@link #warn}, then the exit, which the caller throws. */
    CommandExit err(String message, String strerror) {
        warn(message, strerror);
        return new CommandExit(FAILURE);
    }

    /** One line as it is, for messages that bring their own prefix (getopt's). */
    void line(String text) {
        try {
            stderr.write((text + "\n").getBytes(StandardCharsets.ISO_8859_1));
            stderr.flush();
        } catch (IOException e) {
            // As in C: a message that cannot be written is lost and changes nothing else.
        }
    }
}
