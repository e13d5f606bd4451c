package org.jxenbus.itests.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxenbus.xenstore.spi.wire.FrameDecoder;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsErrors;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * The wire decoder and the payload parsers on any byte stream, with coverage guidance (Jazzer).
 *
 * <p>Oracle: a stream cut into arbitrary pieces, with the sink failing at arbitrary messages, decodes to
 * exactly the messages a whole-stream reference decoding gives, up to the first oversize header, which is
 * reported as {@link MalformedMessageException} and nothing else; every decoded message re-encodes to its
 * bytes; every payload parser, on the first messages of a stream, either parses or throws
 * {@link MalformedMessageException}.
 *
 * <p>CI fuzzes for 10 s; {@code -Djxenbus.full=true} runs 3,500,000 (see this module's pom).
 */
@ExtendWith(InputCounter.class)
class FrameDecoderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decoderAndParsersSurviveAnyStream(FuzzedDataProvider data) {
        InputCounter.tick();
        int pieces = data.consumeInt(1, 16);
        int[] cuts = new int[pieces];
        for (int i = 0; i < pieces; i++) {
            cuts[i] = data.consumeInt(0, 5000);
        }
        int failingSinks = data.consumeInt(0, 15); // which of the first 4 offers the sink refuses
        byte[] stream = data.consumeRemainingAsBytes();

        Reference expected = Reference.decode(stream);
        List<XsMessage> got = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder();
        int[] offered = {0};
        MalformedMessageException malformed = null;
        int pos = 0;
        for (int i = 0; i <= pieces && malformed == null; i++) {
            int n = i == pieces ? stream.length - pos : Math.min(cuts[i], stream.length - pos);
            ByteBuffer in = ByteBuffer.wrap(stream, pos, n);
            try {
                feedUntilDelivered(decoder, in, got, offered, failingSinks);
            } catch (MalformedMessageException e) {
                malformed = e;
                assertTrue(e.getMessage().contains("XENSTORE_PAYLOAD_MAX"), e.getMessage());
            }
            pos = in.position();
        }
        assertEquals(expected.messages.size(), got.size(), "message count");
        for (int i = 0; i < got.size(); i++) {
            assertEquals(expected.messages.get(i), got.get(i), "message " + i);
            assertArrayEquals(XsWire.encode(got.get(i)), expected.bytes.get(i));
            if (i < 2) { // exceptions dominate the cost: a stream of empty messages would make a thousand
                parseEveryWay(got.get(i).payload());
            }
        }
        assertEquals(expected.oversize, malformed != null, "oversize header reported");
        if (malformed == null) {
            assertEquals(expected.trailing == 0, decoder.atBoundary(), "boundary after " + expected.trailing);
        }
    }

    /** Feeds {@code in}, offering again after each sink failure (the decoder keeps the message). */
    private static void feedUntilDelivered(FrameDecoder decoder, ByteBuffer in, List<XsMessage> got, int[] offered,
            int failingSinks) throws MalformedMessageException {
        while (true) {
            try {
                decoder.feed(in, m -> {
                    int k = offered[0]++;
                    if (k < 4 && (failingSinks >>> k & 1) != 0) {
                        throw new IllegalStateException("sink refuses offer " + k);
                    }
                    got.add(m);
                });
                return;
            } catch (IllegalStateException refused) {
                assertTrue(refused.getMessage().startsWith("sink refuses"), refused.getMessage());
            }
        }
    }

    /** Every parser on every payload: a value or MalformedMessageException, nothing else. */
    static void parseEveryWay(byte[] payload) {
        List<Parser> parsers = List.of(Payloads::singleString, Payloads::stringList, Payloads::watchEvent,
                Payloads::permissions, Payloads::directoryPart, XsErrors::parse);
        for (Parser p : parsers) {
            try {
                assertNotNull(p.parse(payload));
            } catch (MalformedMessageException e) {
                assertNotNull(e.getMessage());
            }
        }
        assertNotNull(Payloads.printable(payload));
    }

    @FunctionalInterface
    interface Parser {
        Object parse(byte[] payload) throws MalformedMessageException;
    }

    /** Whole-stream decoding, written independently of FrameDecoder. */
    record Reference(List<XsMessage> messages, List<byte[]> bytes, boolean oversize, int trailing) {

        static Reference decode(byte[] s) {
            List<XsMessage> messages = new ArrayList<>();
            List<byte[]> bytes = new ArrayList<>();
            ByteBuffer b = ByteBuffer.wrap(s).order(XsWire.BYTE_ORDER);
            int p = 0;
            while (s.length - p >= XsWire.HEADER_SIZE) {
                long len = Integer.toUnsignedLong(b.getInt(p + 12));
                if (len > XsWire.XENSTORE_PAYLOAD_MAX) {
                    return new Reference(messages, bytes, true, 0);
                }
                if (s.length - p - XsWire.HEADER_SIZE < len) {
                    break;
                }
                byte[] whole = Arrays.copyOfRange(s, p, p + XsWire.HEADER_SIZE + (int) len);
                try {
                    messages.add(XsWire.decode(whole));
                } catch (MalformedMessageException e) {
                    throw new AssertionError("reference framing disagrees with XsWire.decode", e);
                }
                bytes.add(whole);
                p += whole.length;
            }
            return new Reference(messages, bytes, false, s.length - p);
        }
    }
}
