package org.jxenbus.transport.xendev;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import org.jxenbus.xenstore.spi.ring.SharedPage;

/**
 * {@code /dev/xen/gntdev}: maps another domain's grant into our memory, as xenstored maps a guest's ring
 * (libxengnttab's order: MAP_GRANT_REF records the ref, mmap at the returned offset performs the hypercall,
 * and unmapping is munmap then UNMAP_GRANT_REF). Thread-safe.
 */
public final class GrantMapper implements AutoCloseable {

    /** Where the device lives. */
    public static final String PATH = "/dev/xen/gntdev";
    private static final Logger LOG = System.getLogger(GrantMapper.class.getName());

    private final PolledDescriptors device;

    private GrantMapper(PolledDescriptors device) {
        this.device = device;
    }

    /** Opens the device. */
    public static GrantMapper open() throws IOException {
        int fd = LibC.open(PATH, LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw LibC.failure("open " + PATH, LibC.errno());
        }
        return new GrantMapper(new PolledDescriptors(fd, PATH));
    }

    /**
     * Maps grant {@code gref} of domain {@code domid}, read-write. The page's close unmaps it; pages outlive
     * this mapper's close until then.
     *
     * @throws IOException if the kernel or Xen refuse (a bad domid or ref gives EINVAL from mmap)
     */
    public SharedPage map(int domid, int gref) throws IOException {
        String what = "grant " + gref + " of domain " + domid;
        return device.with(fd -> {
            long index;
            try (Memory arg = new Memory(XenAbi.GNTDEV_MAP_SIZE)) {
                arg.clear();
                arg.setInt(XenAbi.GNTDEV_MAP_COUNT, 1);
                arg.setInt(XenAbi.GNTDEV_MAP_REF_DOMID, domid);
                arg.setInt(XenAbi.GNTDEV_MAP_REF_REF, gref);
                if (LibC.ioctl(fd, XenAbi.IOCTL_GNTDEV_MAP_GRANT_REF, arg) < 0) {
                    throw LibC.failure(PATH + " MAP_GRANT_REF " + what, LibC.errno());
                }
                index = arg.getLong(XenAbi.GNTDEV_MAP_INDEX);
            }
            Pointer address;
            try {
                address = MappedPage.map(fd, index, what);
            } catch (IOException e) {
                unmapRef(fd, index, what);
                throw e;
            }
            return MappedPage.of(address, what + " (gntdev)", () -> {
                LibC.munmap(address, XenAbi.PAGE_SIZE);
                try {
                    device.with(d -> {
                        unmapRef(d, index, what);
                        return null;
                    });
                } catch (IOException closed) {
                    // the device is closed: the kernel released the ref with it
                }
            });
        });
    }

    private static void unmapRef(int fd, long index, String what) {
        try (Memory arg = new Memory(XenAbi.GNTDEV_UNMAP_SIZE)) {
            arg.clear();
            arg.setLong(XenAbi.GNTDEV_UNMAP_INDEX, index);
            arg.setInt(XenAbi.GNTDEV_UNMAP_COUNT, 1);
            if (LibC.ioctl(fd, XenAbi.IOCTL_GNTDEV_UNMAP_GRANT_REF, arg) < 0) {
                LOG.log(Level.WARNING, PATH + " UNMAP_GRANT_REF " + what + ": " + LibC.strerror(LibC.errno()));
            }
        }
    }

    /** Closes the device; mapped pages stay valid until closed themselves. */
    @Override
    public void close() {
        device.close();
    }
}
