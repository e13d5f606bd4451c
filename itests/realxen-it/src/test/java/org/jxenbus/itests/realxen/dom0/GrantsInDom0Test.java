package org.jxenbus.itests.realxen.dom0;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.jxenbus.transport.xendev.GrantAllocator;
import org.jxenbus.transport.xendev.GrantMapper;
import org.jxenbus.xenstore.spi.ring.SharedPage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code /dev/xen/gntalloc} and {@code /dev/xen/gntdev} on the real hypervisor: dom0 shares a page with
 * itself and maps the grant back; both mappings see each other's writes; 1,000 cycles leak neither
 * descriptors nor mappings; a page is never touched after unmapping.
 */
@Tag("dom0")
class GrantsInDom0Test {

    @Test
    void aSharedPageAndItsMappingSeeEachOthersWrites() throws IOException {
        try (GrantAllocator gntalloc = GrantAllocator.open(); GrantMapper gntdev = GrantMapper.open()) {
            GrantAllocator.SharedGrant grant = gntalloc.share(0);
            SharedPage mapped = gntdev.map(0, grant.gref());
            try {
                byte[] hello = "from the allocator".getBytes();
                grant.page().write(100, hello, 0, hello.length);
                byte[] seen = new byte[hello.length];
                mapped.read(100, seen, 0, seen.length);
                assertArrayEquals(hello, seen);
                mapped.setIntRelease(2048, 0x12345678);
                assertEquals(0x12345678, grant.page().getIntAcquire(2048));
            } finally {
                mapped.close();
                grant.page().close();
            }
            assertThrows(IllegalStateException.class, () -> mapped.getIntVolatile(0), "no access after unmap");
        }
    }

    @Test
    void aThousandShareMapUnmapCyclesLeakNothing() throws IOException {
        try (GrantAllocator gntalloc = GrantAllocator.open(); GrantMapper gntdev = GrantMapper.open()) {
            cycle(gntalloc, gntdev, 1);
            long fds = count(Path.of("/proc/self/fd"));
            long maps = Files.readAllLines(Path.of("/proc/self/maps")).size();
            cycle(gntalloc, gntdev, 1000);
            assertEquals(fds, count(Path.of("/proc/self/fd")), "descriptors");
            long mapsAfter = Files.readAllLines(Path.of("/proc/self/maps")).size();
            assertTrue(mapsAfter <= maps + 2, "mappings " + maps + " -> " + mapsAfter);
            System.out.printf("1000 gntalloc/gntdev cycles: %d descriptors and %d mapping lines before and %d after%n",
                    fds, maps, mapsAfter);
        }
    }

    private static void cycle(GrantAllocator gntalloc, GrantMapper gntdev, int times) throws IOException {
        for (int i = 0; i < times; i++) {
            GrantAllocator.SharedGrant grant = gntalloc.share(0);
            SharedPage mapped = gntdev.map(0, grant.gref());
            grant.page().setIntVolatile(0, i);
            assertEquals(i, mapped.getIntVolatile(0));
            mapped.close();
            grant.page().close();
        }
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
