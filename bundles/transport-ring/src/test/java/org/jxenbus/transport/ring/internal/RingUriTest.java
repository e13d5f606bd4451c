package org.jxenbus.transport.ring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RingUriTest {

    @Test
    void fakeRingsNameFolderAndDomain() {
        RingUri r = RingUri.parse(URI.create("ring:fake:/tmp/host?domid=5"));
        assertEquals("fake", r.kind());
        assertEquals(Path.of("/tmp/host"), r.dir());
        assertEquals(5, r.domid());
        assertTrue(r.suppressKicks());
        assertFalse(RingUri.parse(URI.create("ring:fake:/tmp/host?domid=0&suppress=false")).suppressKicks());
    }

    @Test
    void offeredRingsNameTheServerDomain() {
        RingUri r = RingUri.parse(URI.create("ring:gntalloc?server=0"));
        assertEquals("gntalloc", r.kind());
        assertEquals(0, r.domid());
        assertEquals("ring:gntalloc?server=0", r.text());
    }

    @Test
    void dom0sKernelRingIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RingUri.parse(URI.create("ring:xsd_kva")));
        assertTrue(e.getMessage().contains("dom0 kernel's xenbus") && e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aDomainsGrantOneIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RingUri.parse(URI.create("ring:gntdev?domid=3&gref=1")));
        assertTrue(e.getMessage().contains("grant 1") && e.getMessage().contains("ring:gntalloc"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ring:fake:relative?domid=1", "ring:fake:/d", "ring:fake:/d?domid=x", "ring:fake:/d?domid=99999",
        "ring:fake:/d?domid=1&color=red", "ring:gntalloc", "ring:gntalloc?server=1&suppress=maybe", "ring:other:/x",
        "ring:fake:/d?domid=1&domid=2"})
    void malformedUrisSayWhatIsExpected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RingUri.parse(URI.create(text)));
        assertTrue(e.getMessage().contains(text.substring(0, Math.min(text.length(), 12))), e.getMessage());
    }
}
