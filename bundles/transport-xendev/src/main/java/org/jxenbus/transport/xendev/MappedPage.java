package org.jxenbus.transport.xendev;

import java.nio.ByteOrder;

import com.sun.jna.Pointer;

import org.jxenbus.xenstore.spi.ring.ByteBufferSharedPage;
import org.jxenbus.xenstore.spi.ring.SharedPage;

/** Native memory mapped from a device, as a {@link SharedPage} whose close runs the unmapping in order. */
final class MappedPage {

    private MappedPage() {
    }

    /**
     * Wraps {@code address} (one page); {@code unmap} runs once, after the last access, and afterwards every
     * access throws {@link IllegalStateException}: the memory can never be touched once unmapped.
     */
    static SharedPage of(Pointer address, String description, Runnable unmap) {
        return new ByteBufferSharedPage(address.getByteBuffer(0, XenAbi.PAGE_SIZE).order(ByteOrder.nativeOrder()),
                description, unmap);
    }

    /** {@code mmap} of one page, shared, read-write; throws with errno on failure. */
    static Pointer map(int fd, long offset, String what) throws java.io.IOException {
        Pointer p = LibC.mmap(null, XenAbi.PAGE_SIZE, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, offset);
        if (LibC.mapFailed(p)) {
            throw LibC.failure("mmap " + what, LibC.errno());
        }
        return p;
    }
}
