package org.jxenbus.transport.ring.fake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import org.jxenbus.transport.xendev.LibC;

/** Creating the fake hypervisor's FIFOs and telling which inode a descriptor is open on. Linux only. */
final class Fifos {

    /** The FIFOs' mode: only the host's user may kick. */
    private static final int MODE = 0600;

    private Fifos() {
    }

    /**
     * Creates the FIFO {@code path} unless it exists (a concurrent creator is fine).
     *
     * @throws IOException if it cannot be made, or something other than a FIFO is there
     */
    static void ensure(Path path) throws IOException {
        if (LibC.mkfifo(path.toString(), MODE) != 0) {
            int errno = LibC.errno();
            if (errno != LibC.EEXIST) {
                throw LibC.failure("mkfifo " + path, errno);
            }
        }
        if (!Files.readAttributes(path, BasicFileAttributes.class).isOther()) {
            throw new IOException(path + " exists and is not a FIFO");
        }
    }

    /**
     * The device and inode (as {@link BasicFileAttributes#fileKey()}) of the file {@code fd} is open on,
     * through {@code /proc/self/fd}: comparable with the key of a path, without declaring {@code struct stat}.
     */
    static Object fileKeyOf(int fd) throws IOException {
        return Files.readAttributes(Path.of("/proc/self/fd", Integer.toString(fd)), BasicFileAttributes.class)
                .fileKey();
    }
}
