package org.jxenbus.transport.xendev;

import java.io.IOException;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import org.jxenbus.xenstore.spi.ring.SharedPage;

/**
 * {@code /dev/xen/gntalloc}: shares a page of ours with another domain, writable (libxengnttab's gntshr:
 * ALLOC_GREF, mmap at the returned offset, DEALLOC_GREF at once so that unmapping frees everything).
 * Thread-safe.
 */
public final class GrantAllocator implements AutoCloseable {

    /** Where the device lives. */
    public static final String PATH = "/dev/xen/gntalloc";

    private final PolledDescriptors device;

    private GrantAllocator(PolledDescriptors device) {
        this.device = device;
    }

    /** Opens the device. */
    public static GrantAllocator open() throws IOException {
        int fd = LibC.open(PATH, LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw LibC.failure("open " + PATH, LibC.errno());
        }
        return new GrantAllocator(new PolledDescriptors(fd, PATH));
    }

    /**
     * A zeroed page granted writable to {@code domid}.
     *
     * @throws IOException if the kernel refuses (ENOSPC past the module's page limit)
     */
    public SharedGrant share(int domid) throws IOException {
        return device.with(fd -> {
            long index;
            int gref;
            try (Memory arg = new Memory(XenAbi.GNTALLOC_ALLOC_SIZE)) {
                arg.clear();
                arg.setShort(XenAbi.GNTALLOC_ALLOC_DOMID, (short) domid);
                arg.setShort(XenAbi.GNTALLOC_ALLOC_FLAGS, (short) XenAbi.GNTALLOC_FLAG_WRITABLE);
                arg.setInt(XenAbi.GNTALLOC_ALLOC_COUNT, 1);
                if (LibC.ioctl(fd, XenAbi.IOCTL_GNTALLOC_ALLOC_GREF, arg) < 0) {
                    throw LibC.failure(PATH + " ALLOC_GREF for domain " + domid, LibC.errno());
                }
                index = arg.getLong(XenAbi.GNTALLOC_ALLOC_INDEX);
                gref = arg.getInt(XenAbi.GNTALLOC_ALLOC_GREF_IDS);
            }
            Pointer address = null;
            try {
                address = MappedPage.map(fd, index, "gntalloc page " + gref);
            } finally {
                dealloc(fd, index);
            }
            Pointer mapped = address;
            return new SharedGrant(gref, MappedPage.of(mapped, "page granted to domain " + domid + " as grant " + gref,
                    () -> LibC.munmap(mapped, XenAbi.PAGE_SIZE)));
        });
    }

    private static void dealloc(int fd, long index) throws IOException {
        try (Memory arg = new Memory(XenAbi.GNTALLOC_DEALLOC_SIZE)) {
            arg.clear();
            arg.setLong(XenAbi.GNTALLOC_DEALLOC_INDEX, index);
            arg.setInt(XenAbi.GNTALLOC_DEALLOC_COUNT, 1);
            if (LibC.ioctl(fd, XenAbi.IOCTL_GNTALLOC_DEALLOC_GREF, arg) < 0) {
                throw LibC.failure(PATH + " DEALLOC_GREF", LibC.errno());
            }
        }
    }

    /**
     * A page shared with another domain.
     *
     * @param gref the grant reference the other domain maps
     * @param page our mapping; closing it ends the sharing once the other domain unmaps too
     */
    public record SharedGrant(int gref, SharedPage page) {
    }

    @Override
    public void close() {
        device.close();
    }
}
