package org.jxenbus.xenstore.cli.command;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output as xenstore-utils uses it. Two channels:
 * <ul>
 * <li>{@link #print}: C's {@code stdout}, fully buffered (4 KiB, as stdio on a pipe), written out when the
 * buffer fills, on {@link #flush()} and on {@link #close()}, which every exit reaches, {@code err()}
 * included (ls, watch);
 * <li>{@link #hold}: the in-memory output buffer of read, list (and perms): kept until the command succeeds
 * or fails on its own terms ({@link #releaseHeld()}), emptied for a rerun ({@link #discardHeld()}) and lost
 * when an {@code errx} ends the command first.
 * </ul>
 * Write errors are ignored, as C's stdio ignores them at exit.
 *
 * <p>Not thread-safe: the command's main thread is its only user.
 */
final class StandardOutput implements AutoCloseable {

    private static final int STDIO_BUFFER = 4096;

    private final OutputStream stdout;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();

    /** @param fd1 the process's standard output, unbuffered */
    StandardOutput(OutputStream fd1) {
        this.stdout = new BufferedOutputStream(fd1, STDIO_BUFFER);
    }

    /** Writes to {@code stdout}. */
    void print(byte[] bytes) {
        try {
            stdout.write(bytes);
        } catch (IOException e) {
            // ignored, as stdio does
        }
    }

    /** Writes the bytes of a byte string (one char per byte) to {@code stdout}. */
    void print(String bytes) {
        print(bytes.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** {@code fflush(stdout)}. */
    void flush() {
        try {
            stdout.flush();
        } catch (IOException e) {
            // ignored, as stdio does
        }
    }

    /** Adds to the held output. */
    void hold(byte[] bytes) {
        held.writeBytes(bytes);
    }

    /** Adds a byte string (one char per byte) to the held output. */
    void hold(String bytes) {
        hold(bytes.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes the held output to {@code stdout}, as the real tool does just before it returns. */
    void releaseHeld() {
        print(held.toByteArray());
        held.reset();
    }

    /** Forgets the held output, for a rerun of the whole command. */
    void discardHeld() {
        held.reset();
    }

    /** Flushes {@code stdout}, as {@code exit()} does; the held output is not written. */
    @Override
    public void close() {
        flush();
    }
}
