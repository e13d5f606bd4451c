package org.jxenbus.transport.xenbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.junit.jupiter.api.Test;

class RequestLanesTest {

    private static XsMessage request(XsMessageType type, int reqId, int txId) {
        return new XsMessage(type.code(), reqId, txId, "/p\0".getBytes(StandardCharsets.US_ASCII));
    }

    private static XsMessage reply(XsMessageType type, int reqId, int txId, String body) {
        return new XsMessage(type.code(), reqId, txId, (body + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aLaneCarriesOneRequestAtATimeAndFurtherOnesWaitForAFreeLane() {
        RequestLanes lanes = new RequestLanes(2);
        assertEquals(0, lanes.submit(request(XsMessageType.XS_READ, 1, 0)).get(0).lane());
        List<RequestLanes.Placement> second = lanes.submit(request(XsMessageType.XS_READ, 2, 0));
        assertEquals(1, second.get(0).lane());
        assertTrue(lanes.submit(request(XsMessageType.XS_READ, 3, 0)).isEmpty(), "both lanes busy: held");
        assertEquals(1, lanes.heldCount());

        List<RequestLanes.Placement> freed = lanes.answered(1, reply(XsMessageType.XS_READ, 2, 0, "v"));
        assertEquals(1, freed.size());
        assertEquals(1, freed.get(0).lane());
        assertEquals(3, freed.get(0).message().reqId());
        assertEquals(0, lanes.heldCount());
        assertFalse(lanes.idle());
        lanes.answered(0, reply(XsMessageType.XS_READ, 1, 0, "v"));
        lanes.answered(1, reply(XsMessageType.XS_READ, 3, 0, "v"));
        assertTrue(lanes.idle());
    }

    @Test
    void aTransactionsRequestsGoOnTheLaneThatStartedItInOrder() {
        RequestLanes lanes = new RequestLanes(3);
        assertEquals(0, lanes.submit(request(XsMessageType.XS_TRANSACTION_START, 10, 0)).get(0).lane());
        lanes.answered(0, reply(XsMessageType.XS_TRANSACTION_START, 10, 0, "77"));

        assertEquals(1, lanes.submit(request(XsMessageType.XS_READ, 11, 0)).get(0).lane(),
                "outside the transaction: a lane with no transactions is preferred");
        assertEquals(0, lanes.submit(request(XsMessageType.XS_WRITE, 12, 77)).get(0).lane());
        assertTrue(lanes.submit(request(XsMessageType.XS_READ, 13, 77)).isEmpty(), "its lane is busy: held");
        assertTrue(lanes.submit(request(XsMessageType.XS_TRANSACTION_END, 14, 77)).isEmpty());
        assertEquals(2, lanes.submit(request(XsMessageType.XS_READ, 15, 0)).get(0).lane(),
                "a held transaction request does not hold back others");

        List<RequestLanes.Placement> next = lanes.answered(0, reply(XsMessageType.XS_WRITE, 12, 77, "OK"));
        assertEquals(1, next.size());
        assertEquals(13, next.get(0).message().reqId(), "the transaction's requests leave in submission order");
        next = lanes.answered(0, reply(XsMessageType.XS_READ, 13, 77, "v"));
        assertEquals(14, next.get(0).message().reqId());
        assertEquals(0, next.get(0).lane());
        lanes.answered(0, reply(XsMessageType.XS_TRANSACTION_END, 14, 77, "OK"));

        lanes.answered(1, reply(XsMessageType.XS_READ, 11, 0, "v"));
        lanes.answered(2, reply(XsMessageType.XS_READ, 15, 0, "v"));
        assertEquals(0, lanes.submit(request(XsMessageType.XS_READ, 16, 0)).get(0).lane(),
                "after the end, lane 0 owns no transaction again");
    }

    @Test
    void aLaneWithTransactionsIsUsedForOtherRequestsWhenNothingElseIsFree() {
        RequestLanes lanes = new RequestLanes(1);
        lanes.submit(request(XsMessageType.XS_TRANSACTION_START, 1, 0));
        lanes.answered(0, reply(XsMessageType.XS_TRANSACTION_START, 1, 0, "5"));
        assertEquals(0, lanes.submit(request(XsMessageType.XS_READ, 2, 0)).get(0).lane());
    }

    @Test
    void aFailedStartOwnsNothingAndAnUnknownTransactionTakesAnyLane() {
        RequestLanes lanes = new RequestLanes(2);
        lanes.submit(request(XsMessageType.XS_TRANSACTION_START, 1, 0));
        lanes.answered(0, reply(XsMessageType.XS_ERROR, 1, 0, "EAGAIN"));
        assertEquals(0, lanes.submit(request(XsMessageType.XS_READ, 2, 9)).get(0).lane(),
                "an id the lanes never saw start: the kernel answers it (ENOENT)");
        assertEquals(1, lanes.submit(request(XsMessageType.XS_READ, 3, 0)).get(0).lane());
    }

    /** What XenbusTransport.close uses to end the open transactions itself, one request per lane. */
    @Test
    void atCloseTheOpenTransactionsAreKnownWithTheirLanesAndHeldRequestsAreDropped() {
        RequestLanes lanes = new RequestLanes(2);
        lanes.submit(request(XsMessageType.XS_TRANSACTION_START, 1, 0));
        lanes.answered(0, reply(XsMessageType.XS_TRANSACTION_START, 1, 0, "41"));
        lanes.submit(request(XsMessageType.XS_TRANSACTION_START, 2, 0));
        lanes.answered(1, reply(XsMessageType.XS_TRANSACTION_START, 2, 0, "42"));
        lanes.submit(request(XsMessageType.XS_WRITE, 3, 41));
        assertTrue(lanes.submit(request(XsMessageType.XS_READ, 4, 41)).isEmpty(), "held behind the write");
        assertEquals(java.util.Map.of(41, 0, 42, 1), lanes.openTransactions());
        assertTrue(lanes.busy(0));
        assertFalse(lanes.busy(1));

        lanes.dropHeld();
        assertEquals(0, lanes.heldCount());
        assertTrue(lanes.answered(0, reply(XsMessageType.XS_WRITE, 3, 41, "OK")).isEmpty(),
                "a dropped request is not released");
        XsMessage end = request(XsMessageType.XS_TRANSACTION_END, 0, 42);
        lanes.sent(1, end);
        assertTrue(lanes.busy(1));
        assertThrows(IllegalStateException.class, () -> lanes.sent(1, end), "one request in flight per lane");
        lanes.answered(1, reply(XsMessageType.XS_TRANSACTION_END, 0, 42, "OK"));
        assertEquals(java.util.Map.of(41, 0), lanes.openTransactions());
        assertFalse(lanes.busy(1));
    }

    @Test
    void noLanesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RequestLanes(0));
    }
}
