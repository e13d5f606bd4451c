package org.jxenbus.transport.ring.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The xenstored role against the guest role in a fresh folder, with no C xenstored: both ends of the
 * convention are ours, so kicks must cross in both directions with the ports each side bound.
 */
class XenstoredEventChannelsTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path dir;
    private FakeHost host;
    private FakeEventChannels server;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void openServer() throws IOException {
        host = new FakeHost(dir);
        server = FakeEventChannels.xenstored(host);
        opened.add(server);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private FakeEventChannels guest(int domid) throws IOException {
        host.createDomain(domid);
        FakeEventChannels g = FakeEventChannels.guest(host, domid);
        opened.add(g);
        return g;
    }

    @Test
    void guestKickReachesServerAsThePortBoundToThatGuest() throws IOException {
        FakeEventChannels g7 = guest(7);
        FakeEventChannels g8 = guest(8);
        int s7 = server.bindInterdomain(7, 11);
        int s8 = server.bindInterdomain(8, 12);
        int p7 = g7.bindInterdomain(0, s7);
        g8.bindInterdomain(0, s8);
        assertEquals(List.of(1, 2), List.of(s7, s8), "local ports: lowest free from 1");

        g7.notify(p7);
        g7.notify(p7);
        List<Integer> pending = new ArrayList<>();
        assertEquals(1, server.await(SECOND, pending::add));
        assertEquals(List.of(s7), pending, "one pending port however many kicks");
        assertEquals(2, server.counters().kicksReceived());
        assertEquals(new FakeEventChannels.Counters(2, 0, 0, 0), g7.counters());
    }

    @Test
    void serverKickReachesGuestOnItsBoundPort() throws IOException {
        FakeEventChannels g7 = guest(7);
        int s7 = server.bindInterdomain(7, 11);
        int p7 = g7.bindUnbound(0);

        server.notify(s7);
        List<Integer> pending = new ArrayList<>();
        long start = System.nanoTime();
        assertEquals(1, g7.await(5 * SECOND, pending::add));
        assertTrue(System.nanoTime() - start < SECOND, "the kick ended the wait");
        assertEquals(List.of(p7), pending);
        assertEquals(0, g7.await(0, pending::add), "drained: nothing left");
    }

    @Test
    void recordsOfDomainsWithoutBoundPortsAreIgnoredAndCounted() throws IOException {
        FakeEventChannels g9 = guest(9);
        g9.notify(g9.bindInterdomain(0, 1)); // the server bound nothing for 9
        assertEquals(0, server.await(SECOND, p -> { }));
        assertEquals(new FakeEventChannels.Counters(0, 0, 1, 1), server.counters());
    }

    @Test
    void splitRecordIsKeptUntilItsLastByteArrives() throws Exception {
        host.createDomain(7);
        int s7 = server.bindInterdomain(7, 11);
        try (FileOutputStream raw = new FileOutputStream(host.xenstoredFifo().toFile())) {
            raw.write(new byte[] {7, 0});
            raw.flush();
            assertEquals(0, server.await(SECOND, p -> { }), "half a record is no kick yet");
            raw.write(new byte[] {0, 0, 7, 0});
            List<Integer> pending = new ArrayList<>();
            assertEquals(1, server.await(SECOND, pending::add));
            assertEquals(List.of(s7), pending);
            assertEquals(1, server.counters().kicksReceived(), "the second record is still half");
        }
    }

    @Test
    void kickWithoutReaderIsDroppedNotAnError() throws IOException {
        host.createDomain(4); // a FIFO nobody reads
        int s4 = server.bindInterdomain(4, 1);
        server.notify(s4);
        Files.delete(host.kickFifo(4)); // and no FIFO at all
        server.notify(s4);
        assertEquals(new FakeEventChannels.Counters(0, 2, 0, 0), server.counters());

        FakeHost alone = new FakeHost(Files.createDirectory(dir.resolve("no-xenstored")));
        try (FakeEventChannels lonely = FakeEventChannels.guest(alone, 3)) {
            lonely.notify(lonely.bindInterdomain(0, 1)); // no xenstored.evtchn
            assertEquals(1, lonely.counters().kicksDropped());
        }
    }

    @Test
    void kicksToFullFifoAreDroppedWithoutBlocking() throws IOException {
        FakeEventChannels g7 = guest(7);
        int s7 = server.bindInterdomain(7, 11);
        g7.bindInterdomain(0, s7);
        long start = System.nanoTime();
        for (int i = 0; i < 20_000; i++) {
            server.notify(s7);
        }
        long took = System.nanoTime() - start;
        FakeEventChannels.Counters sent = server.counters();
        // About 0.3 s here; a kick that blocked on the full FIFO would never return.
        assertTrue(took < 5 * SECOND, "20,000 kicks took " + took / MS + " ms");
        assertEquals(20_000, sent.kicksSent() + sent.kicksDropped(), sent.toString());
        assertTrue(sent.kicksDropped() > 0 && sent.kicksSent() > 0, sent.toString());

        assertEquals(1, g7.await(SECOND, p -> { }), "one pending port");
        while (g7.await(0, p -> { }) > 0) {
            // more than one await's 64 KiB only if the pipe is larger than Linux's default
        }
        assertEquals(sent.kicksSent(), g7.counters().kicksReceived(), "every kick written was read");
        server.notify(s7);
        assertEquals(1, g7.await(SECOND, p -> { }), "the FIFO takes kicks again once drained");
    }

    @Test
    void recreatedGuestFifoStillGetsKicks() throws IOException {
        FakeEventChannels first = guest(7);
        int s7 = server.bindInterdomain(7, 11);
        server.notify(s7);
        first.close();
        Files.delete(host.kickFifo(7));
        FakeEventChannels second = FakeEventChannels.guest(host, 7); // a new FIFO, a new inode
        opened.add(second);
        second.bindInterdomain(0, s7);
        server.notify(s7);
        assertEquals(1, second.await(SECOND, p -> { }), "the server's writer followed the new FIFO");
    }

    @Test
    void wakeupMakesTheCurrentOrNextAwaitReturnZero() throws Exception {
        FakeEventChannels g7 = guest(7);
        g7.bindInterdomain(0, server.bindInterdomain(7, 11));
        g7.wakeup();
        long start = System.nanoTime();
        assertEquals(0, g7.await(5 * SECOND, p -> { }));
        assertTrue(System.nanoTime() - start < SECOND, "a wakeup before await ends the next one at once");
        start = System.nanoTime();
        assertEquals(0, g7.await(100 * MS, p -> { }));
        assertTrue(System.nanoTime() - start >= 100 * MS, "one wakeup ends one await");
    }

    @Test
    void closeEndsAwaitInProgressAndLaterCallsFail() throws Exception {
        FakeEventChannels g7 = guest(7);
        int port = g7.bindInterdomain(0, server.bindInterdomain(7, 11));
        BackgroundAwait waiting = BackgroundAwait.start(g7, 5 * SECOND);
        long start = System.nanoTime();
        g7.close();
        assertEquals(0, waiting.result(1000), "the await in progress returned normally");
        assertTrue(System.nanoTime() - start < SECOND, "close returned once the await had left poll");
        g7.close();
        g7.wakeup();
        assertThrows(ClosedChannelException.class, () -> g7.await(0, p -> { }));
        assertThrows(ClosedChannelException.class, () -> g7.notify(port));
        assertThrows(ClosedChannelException.class, () -> g7.bindInterdomain(0, 1));
    }

    @Test
    void pendingConsumerMayNotifyAndClose() throws IOException {
        FakeEventChannels g7 = guest(7);
        int s7 = server.bindInterdomain(7, 11);
        int p7 = g7.bindInterdomain(0, s7);
        server.notify(s7);
        assertEquals(1, g7.await(SECOND, p -> {
            try {
                g7.notify(p); // answering from the consumer, as a ring loop would
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            g7.close();
        }));
        assertEquals(1, server.await(SECOND, p -> { }), "the kick sent from the consumer arrived");
        assertThrows(ClosedChannelException.class, () -> g7.notify(p7));
    }

    @Test
    void secondConcurrentAwaitIsRefused() throws Exception {
        FakeEventChannels g7 = guest(7);
        BackgroundAwait waiting = BackgroundAwait.start(g7, 5 * SECOND);
        assertThrows(IllegalStateException.class, () -> g7.await(0, p -> { }));
        g7.wakeup();
        assertEquals(0, waiting.result(1000));
    }

    @Test
    void bindsRefuseDomainsTheFakeCannotReach() throws IOException {
        assertThrows(IOException.class, () -> server.bindInterdomain(42, 1), "no dom42.ring");
        FakeEventChannels g7 = guest(7);
        assertThrows(IOException.class, () -> g7.bindInterdomain(8, 1), "guests reach only xenstored");
        assertThrows(IOException.class, () -> g7.notify(99), "unbound port");
        g7.unbind(99); // ignored
    }
}
