package org.jxenbus.transport.ring.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsErrors;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/**
 * The guest role against the real C xenstored on the shim: dom0's ring (reached through xsd_kva) and an
 * introduced guest's ring, driven by {@link RingClient}. Every request must complete on kicks alone: the
 * client's awaits time out after 2 s, and any such timeout fails the test.
 */
class GuestEventChannelsTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** dom0's port in {@code D/xsd_port}. */
    private static final int XSD_PORT = 1;

    private FakeXenHost xen;
    private FakeHost host;

    @BeforeEach
    void startXenstored() {
        xen = FakeXenHost.start();
        host = new FakeHost(xen.dir());
    }

    @AfterEach
    void stopXenstored() {
        xen.close();
    }

    @Test
    void writeThenReadOverDom0RingCompleteOnKicks() throws Exception {
        try (RingClient c = RingClient.open(host, 0, XSD_PORT)) {
            c.write("/ring-test/a", "hello");
            XsMessage read = c.call(XsMessageType.XS_READ, Payloads.strings("/ring-test/a"));
            assertEquals(XsMessageType.XS_READ.code(), read.type());
            assertEquals("hello", new String(read.payload(), StandardCharsets.UTF_8));
            assertEquals(0, c.timeouts, "awaits that ended by timeout: a kick was lost");
            FakeEventChannels.Counters n = c.channels.counters();
            assertTrue(n.kicksSent() >= 2, "each request kicked xenstored: " + n);
            assertEquals(0, n.kicksDropped(), n.toString());
        }
    }

    @Test
    void value4000BytesCrossesTheKibRingSeveralTimes() throws Exception {
        byte[] value = new byte[4000];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) ('a' + i % 26);
        }
        try (RingClient c = RingClient.open(host, 0, XSD_PORT)) {
            c.write("/ring-test/big", value);
            XsMessage read = c.call(XsMessageType.XS_READ, Payloads.strings("/ring-test/big"));
            assertArrayEquals(value, read.payload());
            assertEquals(0, c.timeouts, "awaits that ended by timeout: a kick was lost");
        }
    }

    @Test
    void introducedGuestGetsEaccesOnDom0NodeAndItsOwnDomainPath() throws Exception {
        try (RingClient dom0 = RingClient.open(host, 0, XSD_PORT)) {
            dom0.write("/dom0-only", "secret");
        }
        xen.introduceGuest(5, 7);
        try (RingClient guest = RingClient.open(host, 5, 7)) {
            XsMessage denied = guest.call(XsMessageType.XS_READ, Payloads.strings("/dom0-only"));
            assertEquals(XsMessageType.XS_ERROR.code(), denied.type(), () -> "reply " + denied);
            assertEquals("EACCES", XsErrors.parse(denied.payload()));
            assertEquals("/local/domain/5", guest.callForString(XsMessageType.XS_GET_DOMAIN_PATH, "5"));
            assertEquals(0, guest.timeouts);
        }
    }

    @Test
    void idleAwaitSleepsItsTimeoutWithoutReturningEarly() throws Exception {
        try (FakeEventChannels ch = FakeEventChannels.guest(host, 0)) {
            ch.bindInterdomain(0, XSD_PORT);
            long start = System.nanoTime();
            assertEquals(0, ch.await(100 * MS, p -> { }));
            long took = System.nanoTime() - start;
            assertTrue(took >= 100 * MS && took < 2000 * MS, "await(100 ms) took " + took / MS + " ms");
            assertAboutTenAwaitsPerSecond(ch, "idle");
        }
    }

    @Test
    void wakeupFromAnotherThreadEndsAwaitPromptly() throws Exception {
        try (FakeEventChannels ch = FakeEventChannels.guest(host, 0)) {
            ch.bindInterdomain(0, XSD_PORT);
            BackgroundAwait waiting = BackgroundAwait.start(ch, TimeUnit.SECONDS.toNanos(5));
            long woken = System.nanoTime();
            ch.wakeup();
            assertEquals(0, waiting.result(2000));
            long afterWakeup = System.nanoTime() - woken;
            assertTrue(waiting.tookNanos() >= 200 * MS && afterWakeup < 500 * MS, "await ended " + afterWakeup / MS
                    + " ms after wakeup, " + waiting.tookNanos() / MS + " ms after it started");
        }
    }

    @Test
    void restartedXenstoredDoesNotMakeAwaitSpinAndKicksResume() throws Exception {
        RingClient before = RingClient.open(host, 0, XSD_PORT);
        before.write("/ring-test/before", "1"); // the shim now holds our FIFO
        before.ring.page().close();
        FakeEventChannels ch = before.channels;

        xen.stop(); // its write end of dom0.evtchn closes: only our own keeps POLLHUP away
        long dropped = ch.counters().kicksDropped();
        ch.notify(before.port); // no reader on xenstored.evtchn: EPIPE or ENXIO, dropped
        assertEquals(dropped + 1, ch.counters().kicksDropped());
        assertAboutTenAwaitsPerSecond(ch, "with xenstored gone");

        xen.restart();
        assertAboutTenAwaitsPerSecond(ch, "after the restart");
        try (RingClient after = new RingClient(host, 0, ch, before.port)) {
            after.write("/ring-test/after", "2");
            assertEquals(0, after.timeouts, "awaits that ended by timeout after the restart");
        }
    }

    /**
     * {@code await(100 ms)} fits about 10 times in a second: not thousands (a spin on POLLHUP or a stale
     * readable fd), not fewer (oversleeping). A few kicks left over from earlier traffic may end the first
     * awaits at once.
     */
    private static void assertAboutTenAwaitsPerSecond(FakeEventChannels ch, String when) throws Exception {
        // Only returning early (a spin) is checked: a loaded machine may oversleep, which is no fault here.
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        int loops = 0;
        long shortest = Long.MAX_VALUE;
        while (System.nanoTime() < end && loops < 10_000) {
            long start = System.nanoTime();
            if (ch.await(100 * MS, p -> { }) == 0) { // an await that found a real event may end early
                shortest = Math.min(shortest, System.nanoTime() - start);
            }
            loops++;
        }
        assertTrue(loops <= 14, "100 ms awaits in one second " + when + ": " + loops);
        assertTrue(shortest >= 100 * MS, "the shortest empty 100 ms await " + when + " took " + shortest / MS
                + " ms");
    }
}
