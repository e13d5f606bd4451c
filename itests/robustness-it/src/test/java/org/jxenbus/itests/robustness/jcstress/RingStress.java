package org.jxenbus.itests.robustness.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.Arrays;

import org.jxenbus.xenstore.spi.ring.ByteBufferSharedPage;
import org.jxenbus.xenstore.spi.ring.RingCorruptedException;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.jxenbus.xenstore.spi.ring.XenstoreRing.End;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * jcstress (run by run-jcstress.sh, not by the build): the ring's index protocol under the Java memory model,
 * both ends of one {@link ByteBufferSharedPage} (a direct buffer, as a mapped page is) on two threads.
 */
public final class RingStress {

    private RingStress() {
    }

    /** Both ends of a fresh ring whose indices start at {@code start}. */
    static XenstoreRing[] ring(int start) {
        ByteBufferSharedPage page = new ByteBufferSharedPage(
                java.nio.ByteBuffer.allocateDirect(ByteBufferSharedPage.SIZE), "jcstress page", () -> { });
        for (int offset : new int[] {XenstoreRing.REQ_CONS, XenstoreRing.REQ_PROD, XenstoreRing.RSP_CONS,
            XenstoreRing.RSP_PROD}) {
            page.setIntVolatile(offset, start);
        }
        return new XenstoreRing[] {new XenstoreRing(page, End.CLIENT), new XenstoreRing(page, End.SERVER)};
    }

    /** 1 if {@code b[0, n)} is all {@code value}, 2 if any other byte is there. */
    static int check(byte[] b, int n, byte value) {
        for (int i = 0; i < n; i++) {
            if (b[i] != value) {
                return 2;
            }
        }
        return 1;
    }

    static int produce(XenstoreRing end, byte[] src) {
        try {
            return end.produce(src, 0, src.length);
        } catch (RingCorruptedException e) {
            return -1;
        }
    }

    static int consume(XenstoreRing end, byte[] dst) {
        try {
            return end.consume(dst, 0, dst.length);
        } catch (RingCorruptedException e) {
            return -1;
        }
    }

    /**
     * Data before index: a consumer that sees the producer's index sees the bytes it covers (release on
     * publish, acquire on read), here across the ring's end and the 32-bit wrap of the indices.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "consumed before the index was published")
    @Outcome(id = "8, 1", expect = ACCEPTABLE, desc = "consumed all eight bytes, all written")
    @Outcome(id = "8, 2", expect = FORBIDDEN, desc = "saw the index before the bytes")
    @Outcome(expect = FORBIDDEN, desc = "anything else (a partial message, a corruption report)")
    @State
    public static class DataBeforeIndex {
        private final XenstoreRing[] ends = ring(-4); // 0xfffffffc: bytes at 1020..1023 then 0..3
        private final byte[] request = new byte[8];

        public DataBeforeIndex() {
            Arrays.fill(request, (byte) 'R');
        }

        @Actor
        public void client() {
            produce(ends[0], request);
        }

        @Actor
        public void server(II_Result r) {
            byte[] got = new byte[8];
            r.r1 = consume(ends[1], got);
            r.r2 = r.r1 == 8 ? check(got, 8, (byte) 'R') : 0;
        }
    }

    /**
     * Copy before freeing: the consumer frees the room only after copying the bytes out, so a producer
     * refilling the full ring at once can never overwrite bytes not yet read.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the producer found the ring still full")
    @Outcome(id = "1, 1024", expect = ACCEPTABLE, desc = "the producer refilled the ring after the copy")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "the consumer read bytes of the second fill")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class CopyBeforeFree {
        private final XenstoreRing[] ends = ring(1000);
        private final byte[] second = new byte[XenstoreRing.RING_SIZE];

        public CopyBeforeFree() {
            byte[] first = new byte[XenstoreRing.RING_SIZE];
            Arrays.fill(first, (byte) 'A');
            Arrays.fill(second, (byte) 'B');
            produce(ends[0], first);
        }

        @Actor
        public void server(II_Result r) {
            byte[] got = new byte[XenstoreRing.RING_SIZE];
            int n = consume(ends[1], got);
            r.r1 = n == XenstoreRing.RING_SIZE ? check(got, n, (byte) 'A') : -1;
        }

        @Actor
        public void client(II_Result r) {
            r.r2 = produce(ends[0], second);
        }
    }

    /**
     * No lost wake-up: when the consumer has emptied the ring (and may go to sleep) the producer's next
     * message asks for a kick, whatever the interleaving of the consumer's last read with the production.
     * r1: bytes the server consumed; r2: 1 if the client asked for a kick.
     */
    @JCStressTest
    @Outcome(id = "4, 1", expect = ACCEPTABLE, desc = "consumed the new message; the producer kicked anyway")
    @Outcome(id = "4, 0", expect = ACCEPTABLE, desc = "consumed it; no kick was needed")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "found the ring empty; the producer kicks the sleeper")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "lost wake-up: the consumer sleeps and nobody kicks")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class NoLostWakeup {
        private final XenstoreRing[] ends = ring(7);

        @Actor
        public void client(II_Result r) {
            produce(ends[0], new byte[] {1, 2, 3, 4});
            r.r2 = ends[0].kickWanted() ? 1 : 0;
        }

        @Actor
        public void server(II_Result r) {
            r.r1 = consume(ends[1], new byte[4]);
        }
    }
}
