package org.jxenbus.transport.xendev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.Pointer;

import org.jxenbus.xenstore.spi.ring.SharedPage;

/**
 * Dom0's own xenstore ring as the kernel exposes it to the xenstore server: {@code /proc/xen/xsd_kva} (the
 * page) and {@code /proc/xen/xsd_port} (the kernel's unbound port, decimal). Only a server may use them:
 * the dom0 kernel is the ring's client, and a second client corrupts it.
 */
public final class StoreInterface {

    /** The page. */
    public static final String KVA = "/proc/xen/xsd_kva";
    /** The port. */
    public static final String PORT = "/proc/xen/xsd_port";

    private StoreInterface() {
    }

    /** Whether this is a dom0 with xenfs mounted. */
    public static boolean present() {
        return Files.exists(Path.of(KVA)) && Files.exists(Path.of(PORT));
    }

    /** The port the kernel waits on, from {@code xsd_port}. */
    public static int port() throws IOException {
        String text = Files.readString(Path.of(PORT), StandardCharsets.US_ASCII).trim();
        try {
            return Integer.decode(text);
        } catch (NumberFormatException e) {
            throw new IOException(PORT + " holds \"" + text + "\", not a port number");
        }
    }

    /** Maps dom0's ring page; the page's close unmaps it. */
    public static SharedPage map() throws IOException {
        int fd = LibC.open(KVA, LibC.O_RDWR | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw LibC.failure("open " + KVA, LibC.errno());
        }
        try {
            Pointer address = MappedPage.map(fd, 0, KVA);
            return MappedPage.of(address, "dom0's xenstore ring (" + KVA + ")",
                    () -> LibC.munmap(address, XenAbi.PAGE_SIZE));
        } finally {
            LibC.close(fd);
        }
    }
}
