package org.jxenbus.xenstore.spi.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class WireCodecTest {

    @Test
    void headerIsFourHostOrderIntegersThenPayload() {
        XsMessage m = new XsMessage(XsMessageType.XS_READ.code(), 0xfffffffe, 7, Payloads.strings("/a"));
        byte[] wire = XsWire.encode(m);
        ByteBuffer b = ByteBuffer.wrap(wire).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, b.getInt(0));
        assertEquals(0xfffffffe, b.getInt(4));
        assertEquals(7, b.getInt(8));
        assertEquals(3, b.getInt(12));
        assertArrayEquals(new byte[] {'/', 'a', 0}, java.util.Arrays.copyOfRange(wire, 16, 19));
    }

    @Test
    void decodeRoundTripsEveryField() throws Exception {
        XsMessage m = new XsMessage(XsMessageType.XS_WRITE.code(), 12345, 0x80000001,
                Payloads.pathAndValue("/x", new byte[] {1, 0, 2}));
        assertEquals(m, XsWire.decode(XsWire.encode(m)));
    }

    @Test
    void decodeRejectsShortHeader() {
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> XsWire.decode(new byte[15]));
        assertTrue(e.getMessage().contains("short header"), e.getMessage());
    }

    @Test
    void decodeRejectsPayloadOverLimit() {
        byte[] wire = new byte[16];
        ByteBuffer.wrap(wire).order(XsWire.BYTE_ORDER).putInt(12, 4097);
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> XsWire.decode(wire));
        assertTrue(e.getMessage().contains("4097"), e.getMessage());
    }

    @Test
    void decodeRejectsUnsignedHugeLength() {
        byte[] wire = new byte[16];
        ByteBuffer.wrap(wire).order(XsWire.BYTE_ORDER).putInt(12, -1);
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> XsWire.decode(wire));
        assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
    }

    @Test
    void decodeRejectsLengthDisagreeingWithBytes() {
        byte[] wire = XsWire.encode(new XsMessage(2, 1, 0, new byte[5]));
        byte[] cut = java.util.Arrays.copyOf(wire, wire.length - 1);
        assertThrows(MalformedMessageException.class, () -> XsWire.decode(cut));
    }

    @Test
    void messageRefusesPayloadOverLimit() {
        assertThrows(IllegalArgumentException.class, () -> new XsMessage(2, 0, 0, new byte[4097]));
        assertEquals(4096, new XsMessage(2, 0, 0, new byte[4096]).payload().length);
    }

    @Test
    void frameDecoderResumesAtEveryByteBoundary() throws Exception {
        List<XsMessage> sent = List.of(new XsMessage(2, 1, 0, Payloads.strings("/a")),
                new XsMessage(11, 2, 3, new byte[4096]), new XsMessage(15, 0, 0, new byte[0]),
                new XsMessage(16, 4, 0, XsErrors.payload("ENOENT")));
        ByteBuffer all = ByteBuffer.allocate(sent.stream().mapToInt(XsMessage::wireSize).sum());
        sent.forEach(m -> XsWire.encode(m, all));
        byte[] stream = all.array();
        for (int chunk : new int[] {1, 3, 16, 17, 1000, stream.length}) {
            FrameDecoder d = new FrameDecoder();
            List<XsMessage> got = new ArrayList<>();
            for (int off = 0; off < stream.length; off += chunk) {
                d.feed(ByteBuffer.wrap(stream, off, Math.min(chunk, stream.length - off)), got::add);
            }
            assertEquals(sent, got, "chunk " + chunk);
            assertTrue(d.atBoundary());
        }
    }

    @Test
    void frameDecoderEmitsEmptyPayloadMessageAtEndOfInput() throws Exception {
        FrameDecoder d = new FrameDecoder();
        List<XsMessage> got = new ArrayList<>();
        d.feed(ByteBuffer.wrap(XsWire.encode(new XsMessage(21, 9, 0, new byte[0]))), got::add);
        assertEquals(1, got.size());
    }

    @Test
    void frameDecoderReportsPartialMessage() throws Exception {
        FrameDecoder d = new FrameDecoder();
        byte[] wire = XsWire.encode(new XsMessage(2, 1, 0, Payloads.strings("/abc")));
        d.feed(ByteBuffer.wrap(wire, 0, 18), m -> { });
        assertFalse(d.atBoundary());
        d.reset();
        assertTrue(d.atBoundary());
    }

    @Test
    void frameDecoderRejectsOversizeHeader() {
        FrameDecoder d = new FrameDecoder();
        byte[] wire = new byte[16];
        ByteBuffer.wrap(wire).order(XsWire.BYTE_ORDER).putInt(12, 5000);
        assertThrows(MalformedMessageException.class, () -> d.feed(ByteBuffer.wrap(wire), m -> { }));
    }

    @Test
    void messageTypesCarryXsWireNumbers() {
        assertEquals(0, XsMessageType.XS_CONTROL.code());
        assertEquals(15, XsMessageType.XS_WATCH_EVENT.code());
        assertEquals(16, XsMessageType.XS_ERROR.code());
        assertEquals(21, XsMessageType.XS_RESET_WATCHES.code());
        assertEquals(22, XsMessageType.XS_DIRECTORY_PART.code());
        assertEquals(26, XsMessageType.XS_SET_QUOTA.code());
        assertNull(XsMessageType.ofCode(20), "20 was RESTRICT and is invalid now");
        assertNull(XsMessageType.ofCode(XsMessageType.XS_INVALID));
        assertEquals("type 128", XsMessageType.nameOf(128));
        assertTrue(XsMessageType.XS_WATCH.ignoresTransaction());
        assertTrue(XsMessageType.XS_INTRODUCE.privileged());
        assertTrue(XsMessageType.XS_READ.idempotent());
        assertFalse(XsMessageType.XS_WRITE.idempotent());
    }

    @Test
    void errorNamesAreKeptAsSentIncludingUnknownOnes() throws Exception {
        assertEquals("ENOENT", XsErrors.parse(XsErrors.payload("ENOENT")));
        assertEquals("EQUOTA", XsErrors.parse(XsErrors.payload("EQUOTA")));
        assertFalse(XsErrors.isKnown("EQUOTA"));
        assertEquals(16, XsErrors.KNOWN.size());
        assertEquals("EPERM", XsErrors.KNOWN.get(15));
    }

    @Test
    void errorWithoutNulOrMalformedNameIsRejected() {
        assertThrows(MalformedMessageException.class, () -> XsErrors.parse("ENOENT".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(MalformedMessageException.class, () -> XsErrors.parse(Payloads.strings("enoent")));
        assertThrows(MalformedMessageException.class, () -> XsErrors.parse(new byte[0]));
    }

    @Test
    void stringListsAreNulTerminatedAndEmptyPayloadIsEmptyList() throws Exception {
        assertEquals(List.of("a", "bb", ""), Payloads.stringList(new byte[] {'a', 0, 'b', 'b', 0, 0}));
        assertEquals(List.of(), Payloads.stringList(new byte[0]));
        assertThrows(MalformedMessageException.class, () -> Payloads.stringList(new byte[] {'a', 0, 'b'}));
    }

    @Test
    void singleStringNeedsExactlyOneTrailingNul() throws Exception {
        assertEquals("OK", Payloads.singleString(Payloads.strings("OK")));
        assertThrows(MalformedMessageException.class, () -> Payloads.singleString(new byte[] {'O', 'K'}));
        assertThrows(MalformedMessageException.class, () -> Payloads.singleString(new byte[] {'O', 0, 'K', 0}));
    }

    @Test
    void writePayloadHasNoTrailingNul() {
        assertArrayEquals(new byte[] {'/', 'k', 0, 'v'}, Payloads.pathAndValue("/k", new byte[] {'v'}));
        assertArrayEquals(new byte[] {'/', 'k', 0}, Payloads.pathAndValue("/k", new byte[0]));
    }

    @Test
    void watchEventNeedsPathAndToken() throws Exception {
        assertEquals(List.of("/a", "t1"), Payloads.watchEvent(Payloads.strings("/a", "t1")));
        assertThrows(MalformedMessageException.class, () -> Payloads.watchEvent(Payloads.strings("/a")));
        assertThrows(MalformedMessageException.class, () -> Payloads.watchEvent(Payloads.strings("/a", "t", "x")));
    }

    @Test
    void permissionsParseAndEncode() throws Exception {
        var p = Payloads.permissions(Payloads.strings("n0", "r5", "b65535"));
        assertEquals("n0 r5 b65535", p.toString());
        assertEquals(0, p.owner());
        assertArrayEquals(Payloads.strings("/k", "n0", "r5", "b65535"), Payloads.pathAndPermissions("/k", p));
        assertThrows(MalformedMessageException.class, () -> Payloads.permissions(Payloads.strings("x0")));
        assertThrows(MalformedMessageException.class, () -> Payloads.permissions(Payloads.strings("r")));
        assertThrows(MalformedMessageException.class, () -> Payloads.permissions(Payloads.strings("r65536")));
        assertThrows(MalformedMessageException.class, () -> Payloads.permissions(Payloads.strings("r1a")));
        assertThrows(MalformedMessageException.class, () -> Payloads.permissions(new byte[0]));
    }

    @Test
    void directoryPartsTellLastPartByTheExtraEmptyString() throws Exception {
        var middle = Payloads.directoryPart(Payloads.strings("42", "a", "bc"));
        assertEquals("42", middle.generation());
        assertEquals(List.of("a", "bc"), middle.children());
        assertEquals(5, middle.childBytes());
        assertFalse(middle.last());
        var last = Payloads.directoryPart(Payloads.strings("42", "d", ""));
        assertEquals(List.of("d"), last.children());
        assertTrue(last.last());
        var pastEnd = Payloads.directoryPart(Payloads.strings("42", ""));
        assertEquals(List.of(), pastEnd.children());
        assertTrue(pastEnd.last());
        assertThrows(MalformedMessageException.class, () -> Payloads.directoryPart(new byte[] {'4', '2'}));
    }
}
