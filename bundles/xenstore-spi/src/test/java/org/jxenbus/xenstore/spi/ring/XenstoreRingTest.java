package org.jxenbus.xenstore.spi.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XenstoreRingTest {

    private final SharedPage page = ByteBufferSharedPage.onHeap("test page");
    private final XenstoreRing client = new XenstoreRing(page, XenstoreRing.End.CLIENT);
    private final XenstoreRing server = new XenstoreRing(page, XenstoreRing.End.SERVER);

    @ParameterizedTest
    @ValueSource(ints = {0, 1000, 0xfffffc00, 0xfffffff0, 0xffffffff})
    void bytesSurviveTheRingAcrossThe32BitWrap(int start) throws Exception {
        setIndices(start, start, start, start);
        Random random = new Random(start);
        byte[] sent = new byte[50_000];
        random.nextBytes(sent);
        byte[] got = new byte[sent.length];
        int produced = 0;
        int consumed = 0;
        while (consumed < sent.length) {
            produced += client.produce(sent, produced, Math.min(sent.length - produced, 1 + random.nextInt(1500)));
            consumed += server.consume(got, consumed, Math.min(sent.length - consumed, 1 + random.nextInt(1500)));
        }
        assertArrayEquals(sent, got);
        assertEquals(start + sent.length, page.getIntVolatile(XenstoreRing.REQ_PROD));
    }

    @Test
    void aFullRingTakesNothingMoreUntilConsumed() throws Exception {
        byte[] data = new byte[1500];
        assertEquals(1024, client.produce(data, 0, data.length));
        assertEquals(0, client.room());
        assertEquals(0, client.produce(data, 0, 1));
        assertEquals(100, server.consume(new byte[100], 0, 100));
        assertEquals(100, client.room());
    }

    @Test
    void producingKicksOnlyWhenThePeerHadCaughtUp() throws Exception {
        byte[] b = new byte[10];
        client.produce(b, 0, 10);
        assertTrue(client.kickWanted(), "the server had consumed everything: it may be asleep");
        client.produce(b, 0, 10);
        assertFalse(client.kickWanted(), "the server has unread data: it is awake or was kicked");
        server.consume(new byte[20], 0, 20);
        client.produce(b, 0, 10);
        assertTrue(client.kickWanted());
    }

    @Test
    void consumingKicksOnlyWhenTheRingHadBeenFull() throws Exception {
        byte[] b = new byte[1024];
        server.produce(b, 0, 1000);
        client.consume(new byte[1000], 0, 1000);
        assertFalse(client.kickWanted(), "the server was not waiting for room");
        server.produce(b, 0, 1024);
        client.consume(new byte[10], 0, 10);
        assertTrue(client.kickWanted(), "the ring had been full: the server may wait for room");
    }

    @Test
    void withoutSuppressionEveryTransferKicks() throws Exception {
        client.suppressKicks(false);
        byte[] b = new byte[10];
        client.produce(b, 0, 10);
        client.produce(b, 0, 10);
        assertTrue(client.kickWanted());
    }

    @Test
    void indicesFurtherApartThanTheRingAreCorruption() {
        setIndices(0, 1025, 0, 0);
        RingCorruptedException e = assertThrows(RingCorruptedException.class, server::available);
        assertTrue(e.getMessage().contains("1025"), e.getMessage());
        setIndices(5, 0, 0, 0);
        assertThrows(RingCorruptedException.class, () -> client.produce(new byte[1], 0, 1));
        setIndices(0, 0, 0, 2000);
        assertThrows(RingCorruptedException.class, () -> client.consume(new byte[1], 0, 1));
    }

    @Test
    void aPeerIndexMovingBackwardsIsCorruption() throws Exception {
        server.produce(new byte[10], 0, 10);
        assertEquals(10, client.available());
        page.setIntVolatile(XenstoreRing.RSP_PROD, 5);
        RingCorruptedException e = assertThrows(RingCorruptedException.class, client::available);
        assertTrue(e.getMessage().contains("backwards"), e.getMessage());
    }

    @Test
    void connectingSkipsStaleResponsesAndReportsLeftoverRequests() throws Exception {
        client.produce(new byte[7], 0, 7);
        server.produce(new byte[30], 0, 30);
        XenstoreRing fresh = new XenstoreRing(page, XenstoreRing.End.CLIENT);
        XenstoreRing.Leftovers left = fresh.discardStale();
        assertEquals(30, left.staleResponseBytes());
        assertEquals(7, left.pendingRequestBytes());
        assertEquals(0, fresh.available());
    }

    @Test
    void reconnectionResetsIndicesAndConnection() throws Exception {
        server.advertise(XenstoreRing.FEATURE_RECONNECTION | XenstoreRing.FEATURE_ERROR);
        client.produce(new byte[9], 0, 9);
        client.requestReconnect();
        assertEquals(XenstoreRing.RECONNECT, server.connection());
        server.completeReconnect();
        assertEquals(XenstoreRing.CONNECTED, client.connection());
        assertEquals(0, page.getIntVolatile(XenstoreRing.REQ_PROD));
        client.forgetPeerIndices();
        assertEquals(1024, client.room());
        assertEquals(XenstoreRing.FEATURE_RECONNECTION | XenstoreRing.FEATURE_ERROR, client.serverFeatures());
    }

    @Test
    void onlyTheRightEndMayChangeTheControlFields() {
        assertThrows(IllegalStateException.class, () -> client.setError(XenstoreRing.ERROR_RINGIDX));
        assertThrows(IllegalStateException.class, () -> server.requestReconnect());
    }

    @Test
    void aClosedPageRefusesAccessInsteadOfTouchingMemory() {
        page.close();
        assertThrows(IllegalStateException.class, client::available);
        page.close();
    }

    @Test
    void wordsMustBeAligned() {
        assertThrows(IndexOutOfBoundsException.class, () -> page.getIntVolatile(2050));
        assertThrows(IndexOutOfBoundsException.class, () -> page.write(4090, new byte[10], 0, 10));
    }

    private void setIndices(int reqCons, int reqProd, int rspCons, int rspProd) {
        page.setIntVolatile(XenstoreRing.REQ_CONS, reqCons);
        page.setIntVolatile(XenstoreRing.REQ_PROD, reqProd);
        page.setIntVolatile(XenstoreRing.RSP_CONS, rspCons);
        page.setIntVolatile(XenstoreRing.RSP_PROD, rspProd);
    }
}
