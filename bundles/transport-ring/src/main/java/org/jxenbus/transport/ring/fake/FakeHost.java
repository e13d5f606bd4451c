package org.jxenbus.transport.ring.fake;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

import org.jxenbus.xenstore.spi.ring.ByteBufferSharedPage;
import org.jxenbus.xenstore.spi.ring.SharedPage;

/**
 * One simulated Xen host: a folder D laid out as shared/FAKE-HYPERVISOR.md defines it. Domain N's ring page
 * is the 4096-byte file {@code D/dom<N>.ring}; domain N is kicked through the FIFO {@code D/dom<N>.evtchn};
 * xenstored through the one FIFO {@code D/xenstored.evtchn}. The same files serve the C xenstored on the
 * LD_PRELOAD shim, our own servers and the Python tools.
 *
 * <p>A value: it holds the folder only. Thread-safe.
 */
public record FakeHost(Path dir) {

    /** {@code DOMID_FIRST_RESERVED} (xen.h): domids from here up are not domains. */
    public static final int DOMID_FIRST_RESERVED = 0x7ff0;

    /** @param dir the host folder D; it need not exist yet */
    public FakeHost {
        Objects.requireNonNull(dir, "dir");
        dir = dir.toAbsolutePath();
    }

    /** {@code D/dom<N>.ring}: domain N's {@code xenstore_domain_interface} page. */
    public Path ring(int domid) {
        return dir.resolve("dom" + checkDomid(domid) + ".ring");
    }

    /** {@code D/dom<N>.evtchn}: the FIFO that kicks domain N. */
    public Path kickFifo(int domid) {
        return dir.resolve("dom" + checkDomid(domid) + ".evtchn");
    }

    /** {@code D/xenstored.evtchn}: the FIFO every domain kicks xenstored through (4-byte LE domids). */
    public Path xenstoredFifo() {
        return dir.resolve("xenstored.evtchn");
    }

    /**
     * Maps domain {@code domid}'s ring file shared and read-write, as xenstored maps a grant. The mapping
     * outlives the page's {@link SharedPage#close()} until the buffer is collected (Java 17 cannot unmap
     * eagerly); a closed page refuses every access, so nothing touches it after close.
     *
     * @throws java.nio.file.NoSuchFileException if the domain does not exist
     * @throws IOException if the file is shorter than a page (mapping it would SIGBUS), or cannot be mapped
     */
    public SharedPage mapRing(int domid) throws IOException {
        Path file = ring(domid);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return map(ch, file, domid, () -> { });
        }
    }

    /**
     * Maps domain {@code domid}'s ring as {@link #mapRing} does, for the ring's one client (the domain's side):
     * takes an exclusive lock on the ring file for as long as the page is open, so that a second client of the
     * same ring, in this process or another, is refused instead of taking the first one's replies.
     *
     * @throws RingInUseException if another client holds the ring
     */
    public SharedPage mapGuestRing(int domid) throws IOException {
        Path file = ring(domid);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held in this process
            }
            if (lock == null) {
                throw new RingInUseException(file + " already has a client (in this process or another): a ring "
                        + "serves one connection, and a second would take the first one's replies");
            }
            return map(ch, file, domid, () -> closeQuietly(ch)); // the channel, and so the lock, lives with the page
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static SharedPage map(FileChannel ch, Path file, int domid, Runnable onClose) throws IOException {
        long size = ch.size();
        if (size < SharedPage.SIZE) {
            throw new IOException(file + " is " + size + " bytes, shorter than a " + SharedPage.SIZE
                    + "-byte ring page: refusing to map it (touching the missing part would crash the JVM)");
        }
        MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, SharedPage.SIZE);
        map.order(ByteOrder.nativeOrder());
        return new ByteBufferSharedPage(map, "dom" + domid + " ring " + file, onClose);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close(); // releases the lock
        } catch (IOException ignored) {
            // nothing held beyond the descriptor, which close releases anyway
        }
    }

    /**
     * Lets domain {@code domid} exist: a fresh zeroed {@code D/dom<N>.ring} (a new file moved into place, so a
     * mapping of an earlier ring file is never truncated under its user) and the FIFO {@code D/dom<N>.evtchn}
     * if missing. Creates D if needed. A guest joins xenstored only once it is introduced as well.
     *
     * @throws IOException if a file cannot be written, or {@code D/dom<N>.evtchn} exists and is not a FIFO
     */
    public void createDomain(int domid) throws IOException {
        Path file = ring(domid);
        Files.createDirectories(dir);
        Path fresh = Files.createTempFile(dir, "dom" + domid + ".", ".ring-new");
        try {
            Files.write(fresh, new byte[SharedPage.SIZE]);
            Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(fresh);
        }
        Fifos.ensure(kickFifo(domid));
    }

    private static int checkDomid(int domid) {
        if (domid < 0 || domid >= DOMID_FIRST_RESERVED) {
            throw new IllegalArgumentException("not a domain id: " + domid);
        }
        return domid;
    }

    @Override
    public String toString() {
        return "fake Xen host " + dir;
    }
}
