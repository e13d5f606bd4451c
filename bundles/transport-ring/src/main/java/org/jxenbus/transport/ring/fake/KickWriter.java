package org.jxenbus.transport.ring.fake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

import org.jxenbus.transport.xendev.LibC;

/**
 * Kicks one peer by writing 4-byte little-endian records into its FIFO, as the shim's
 * {@code xenevtchn_notify} does. Never blocks: the FIFO is opened {@code O_WRONLY|O_NONBLOCK}, and a kick
 * the peer cannot take now (no reader: ENXIO or EPIPE; FIFO full: EAGAIN; no FIFO at all) is dropped. The
 * peer looks at the ring when it next wakes, so a dropped kick costs it nothing.
 *
 * <p>The write end is cached: closing it after every kick would leave a reader that holds no write end of
 * its own seeing POLLHUP forever after. It is re-opened when the path names another inode (the peer
 * recreated its FIFO) and after EPIPE (the peer went away; a later one may come back).
 *
 * <p>Thread-safe: kicks and {@link #close()} are serialised, so a descriptor is never written after it is
 * closed (its number could meanwhile belong to another file).
 */
final class KickWriter {

    private final Path fifo;
    private final byte[] record = new byte[4];
    private int fd = -1;
    private Object fileKey;
    private boolean closed;

    KickWriter(Path fifo) {
        this.fifo = Objects.requireNonNull(fifo, "fifo");
    }

    /**
     * Writes {@code value} as one record.
     *
     * @return true if the peer got the kick, false if it was dropped
     * @throws IOException if the FIFO cannot be opened or written for a reason other than the peer's absence
     *         or a full FIFO
     */
    synchronized boolean kick(int value) throws IOException {
        if (closed || !openCurrentFifo()) {
            return false;
        }
        record[0] = (byte) value;
        record[1] = (byte) (value >>> 8);
        record[2] = (byte) (value >>> 16);
        record[3] = (byte) (value >>> 24);
        while (true) {
            long n = LibC.write(fd, record, record.length);
            if (n == record.length) {
                return true; // 4 bytes < PIPE_BUF: written whole or not at all
            }
            int errno = LibC.errno();
            if (errno == LibC.EINTR) {
                continue;
            }
            if (errno == LibC.EAGAIN) {
                return false;
            }
            forget();
            if (errno == LibC.EPIPE) {
                return false;
            }
            throw LibC.failure("kick " + fifo, errno);
        }
    }

    /** Closes the cached descriptor; later kicks are dropped. Idempotent. */
    synchronized void close() {
        closed = true;
        forget();
    }

    /** Opens the FIFO now at {@link #fifo} unless the cached descriptor is still it; false if it has no reader. */
    private boolean openCurrentFifo() throws IOException {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(fifo, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            forget();
            return false;
        }
        if (!now.isOther()) {
            forget(); // a regular file in the FIFO's place would only grow with every kick
            return false;
        }
        if (fd >= 0 && now.fileKey().equals(fileKey)) {
            return true;
        }
        forget();
        int opened = LibC.open(fifo.toString(), LibC.O_WRONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (opened < 0) {
            int errno = LibC.errno();
            if (errno == LibC.ENXIO || errno == LibC.ENOENT) {
                return false;
            }
            throw LibC.failure("open " + fifo + " for kicks", errno);
        }
        try {
            fileKey = Fifos.fileKeyOf(opened);
        } catch (IOException e) {
            LibC.close(opened);
            throw e;
        }
        fd = opened;
        return true;
    }

    private void forget() {
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
            fileKey = null;
        }
    }

    @Override
    public String toString() {
        return "kicks to " + fifo;
    }
}
