package org.jxenbus.transport.ring.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxenbus.xenstore.spi.ring.SharedPage;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;

class FakeHostTest {

    @TempDir
    Path dir;

    @Test
    void pathsFollowTheConvention() {
        FakeHost host = new FakeHost(dir);
        assertEquals(dir.resolve("dom5.ring"), host.ring(5));
        assertEquals(dir.resolve("dom5.evtchn"), host.kickFifo(5));
        assertEquals(dir.resolve("xenstored.evtchn"), host.xenstoredFifo());
        assertThrows(IllegalArgumentException.class, () -> host.ring(-1));
        assertThrows(IllegalArgumentException.class, () -> host.ring(FakeHost.DOMID_FIRST_RESERVED));
    }

    @Test
    void createdDomainHasZeroedRingAndFifo() throws IOException {
        FakeHost host = new FakeHost(dir.resolve("sub"));
        host.createDomain(3);
        assertArrayEquals(new byte[SharedPage.SIZE], Files.readAllBytes(host.ring(3)));
        assertTrue(Files.readAttributes(host.kickFifo(3), java.nio.file.attribute.BasicFileAttributes.class).isOther());
        host.createDomain(3); // again: a fresh ring, the FIFO kept
        try (var files = Files.list(host.dir())) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void mappedRingIsTheFileInNativeOrder() throws IOException {
        FakeHost host = new FakeHost(dir);
        host.createDomain(0);
        try (SharedPage page = host.mapRing(0)) {
            page.setIntRelease(XenstoreRing.REQ_PROD, 0x01020304);
            page.write(XenstoreRing.REQ, new byte[] {'h', 'i'}, 0, 2);
        }
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(host.ring(0))).order(ByteOrder.nativeOrder());
        assertEquals(0x01020304, file.getInt(XenstoreRing.REQ_PROD));
        assertEquals('h', file.get(XenstoreRing.REQ));
    }

    @Test
    void aRingHasOneClientAtATime() throws IOException {
        FakeHost host = new FakeHost(dir);
        host.createDomain(4);
        try (SharedPage first = host.mapGuestRing(4)) {
            RingInUseException e = assertThrows(RingInUseException.class, () -> host.mapGuestRing(4));
            assertTrue(e.getMessage().contains("already has a client"), e.getMessage());
            try (SharedPage server = host.mapRing(4)) { // the server's end is not a client
                server.setIntRelease(XenstoreRing.RSP_PROD, 7);
            }
            assertEquals(7, first.getIntAcquire(XenstoreRing.RSP_PROD));
        }
        try (SharedPage again = host.mapGuestRing(4)) { // closing the first let the ring go
            assertEquals(7, again.getIntAcquire(XenstoreRing.RSP_PROD));
        }
    }

    @Test
    void shortOrMissingRingFileIsRefused() throws IOException {
        FakeHost host = new FakeHost(dir);
        assertThrows(NoSuchFileException.class, () -> host.mapRing(1));
        Files.write(host.ring(1), new byte[100]);
        IOException e = assertThrows(IOException.class, () -> host.mapRing(1));
        assertTrue(e.getMessage().contains("100 bytes"), e.getMessage());
    }

    @Test
    void fifoPathHoldingARegularFileIsRefused() throws IOException {
        FakeHost host = new FakeHost(dir);
        Files.writeString(host.kickFifo(2), "not a fifo");
        assertThrows(IOException.class, () -> host.createDomain(2));
        assertThrows(IOException.class, () -> FakeEventChannels.guest(host, 2));
    }
}
