package org.jxenbus.itests.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxenbus.xenstore.spi.ring.ByteBufferSharedPage;
import org.jxenbus.xenstore.spi.ring.RingCorruptedException;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.jxenbus.xenstore.spi.ring.XenstoreRing.End;

/**
 * The ring framing on a page whose indices and bytes a hostile or broken peer sets at will, seen from
 * either end, with coverage guidance (Jazzer).
 *
 * <p>Oracle: every operation either completes or throws {@link RingCorruptedException} (never an index or
 * buffer error, which would mean a read or write outside the ring or the caller's range); a transfer moves
 * at most what was asked and what the indices allow, moves our own index by exactly that, copies exactly
 * the bytes at the ring positions the indices name, and leaves the caller's buffer outside its range
 * untouched; the peer's index moving backwards is always reported.
 *
 * <p>CI fuzzes for 10 s; {@code -Djxenbus.full=true} runs 3,500,000 (see this module's pom).
 */
@ExtendWith(InputCounter.class)
class RingFuzzTest {

    private static final int[] INDICES = {XenstoreRing.REQ_CONS, XenstoreRing.REQ_PROD, XenstoreRing.RSP_CONS,
        XenstoreRing.RSP_PROD};

    @FuzzTest(maxDuration = "10s")
    void ringEndsSurviveAnyPeer(FuzzedDataProvider data) {
        InputCounter.tick();
        End end = data.consumeBoolean() ? End.CLIENT : End.SERVER;
        boolean client = end == End.CLIENT;
        ByteBufferSharedPage page = ByteBufferSharedPage.onHeap("fuzzed page");
        int base = data.consumeInt();
        for (int offset : INDICES) {
            page.setIntVolatile(offset, base + data.consumeInt(-8, 1100));
        }
        byte[] contents = new byte[2 * XenstoreRing.RING_SIZE];
        new Random(data.consumeLong()).nextBytes(contents); // the ring's bytes matter less than its indices
        page.write(0, contents, 0, contents.length);
        XenstoreRing ring = new XenstoreRing(page, end);
        ring.suppressKicks(data.consumeBoolean());
        int outProd = client ? XenstoreRing.REQ_PROD : XenstoreRing.RSP_PROD;
        int inCons = client ? XenstoreRing.RSP_CONS : XenstoreRing.REQ_CONS;
        int inProd = client ? XenstoreRing.RSP_PROD : XenstoreRing.REQ_PROD;
        int inData = client ? XenstoreRing.RSP : XenstoreRing.REQ;

        int steps = data.consumeInt(1, 24);
        for (int s = 0; s < steps && data.remainingBytes() > 0; s++) {
            int op = data.consumeInt(0, 6);
            try {
                switch (op) {
                    case 0 -> { // the peer moves one of the indices, anywhere near the others (or backwards)
                        int offset = INDICES[data.consumeInt(0, 3)];
                        page.setIntVolatile(offset, page.getIntVolatile(offset) + data.consumeInt(-1100, 1100));
                    }
                    case 1 -> {
                        byte[] src = new byte[data.consumeInt(0, 2100)];
                        new Random(data.consumeLong()).nextBytes(src);
                        int off = data.consumeInt(0, src.length);
                        int len = data.consumeInt(0, src.length - off);
                        int before = page.getIntVolatile(outProd);
                        int n = ring.produce(src, off, len);
                        assertTrue(n >= 0 && n <= len && n <= XenstoreRing.RING_SIZE, "produced " + n + " of " + len);
                        assertEquals(before + n, page.getIntVolatile(outProd), "own producer index");
                        byte[] inRing = new byte[n];
                        readRing(page, client ? XenstoreRing.REQ : XenstoreRing.RSP, before, inRing);
                        assertArrayEquals(Arrays.copyOfRange(src, off, off + n), inRing, "bytes produced");
                    }
                    case 2 -> {
                        int size = data.consumeInt(0, 2100);
                        int off = data.consumeInt(0, size);
                        int len = data.consumeInt(0, size - off);
                        byte[] dst = new byte[size];
                        Arrays.fill(dst, (byte) 0x5a);
                        int cons = page.getIntVolatile(inCons);
                        int prod = page.getIntVolatile(inProd);
                        byte[] expected = new byte[Math.min(len, Math.max(0, prod - cons))];
                        readRing(page, inData, cons, expected);
                        int n = ring.consume(dst, off, len);
                        assertTrue(n >= 0 && n <= len && n == Math.min(len, prod - cons), "consumed " + n);
                        assertEquals(cons + n, page.getIntVolatile(inCons), "own consumer index");
                        assertArrayEquals(Arrays.copyOf(expected, n), Arrays.copyOfRange(dst, off, off + n));
                        for (int i = 0; i < size; i++) {
                            if (!(i >= off && i < off + n) && dst[i] != 0x5a) {
                                throw new AssertionError("byte " + i + " outside the range " + off + "+" + n);
                            }
                        }
                    }
                    case 3 -> {
                        int room = ring.room();
                        int available = ring.available();
                        assertTrue(room >= 0 && room <= XenstoreRing.RING_SIZE, "room " + room);
                        assertTrue(available >= 0 && available <= XenstoreRing.RING_SIZE, "available " + available);
                    }
                    case 4 -> {
                        if (client) {
                            XenstoreRing.Leftovers left = ring.discardStale();
                            assertTrue(left.staleResponseBytes() >= 0 && left.pendingRequestBytes() >= 0);
                            assertEquals(page.getIntVolatile(XenstoreRing.RSP_PROD),
                                    page.getIntVolatile(XenstoreRing.RSP_CONS), "stale responses skipped");
                        } else {
                            ring.completeReconnect();
                            assertEquals(0, ring.available());
                        }
                    }
                    case 5 -> ring.forgetPeerIndices();
                    default -> {
                        int peerIndex = client ? XenstoreRing.RSP_PROD : XenstoreRing.REQ_PROD;
                        ring.available();
                        int was = page.getIntVolatile(peerIndex);
                        page.setIntVolatile(peerIndex, was - data.consumeInt(1, 1024));
                        try {
                            ring.available();
                            throw new AssertionError("the peer's producer index moved backwards unnoticed");
                        } catch (RingCorruptedException expected) {
                            assertTrue(expected.getMessage().contains("backwards"), expected.getMessage());
                        }
                        page.setIntVolatile(peerIndex, was);
                    }
                }
            } catch (RingCorruptedException e) {
                assertTrue(e.getMessage().contains("fuzzed page"), e.getMessage());
            }
        }
    }

    private static void readRing(ByteBufferSharedPage page, int base, int index, byte[] out) {
        int start = index & (XenstoreRing.RING_SIZE - 1);
        int first = Math.min(out.length, XenstoreRing.RING_SIZE - start);
        page.read(base + start, out, 0, first);
        page.read(base, out, first, out.length - first);
    }
}
