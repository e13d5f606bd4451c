package org.jxenbus.itests.jmh;

import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.spi.ring.ByteBufferSharedPage;
import org.jxenbus.xenstore.spi.ring.RingCorruptedException;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One request's bytes through the 1 KiB request ring of a 4096-byte page in this process's memory
 * ({@link ByteBufferSharedPage#onHeap}, as tests and in-process peers have it; a mapped ring file or a grant
 * is the same class over other memory): the client end produces {@code bytes}, the server end consumes
 * them, on one thread, with every index check, fence and lock of both ends. {@code straddlingWrap}: every
 * transfer crosses the ring's end, so each side copies in two parts (the indices are first moved forward to
 * half the transfer before the end, two extra index writes). {@code freeRunning}: the indices run on as they
 * do in use, so a transfer crosses the end only now and then (never for 256 bytes, which divide 1024).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingCopyBenchmark {

    @Param({"16", "256", "1000"})
    public int bytes;

    private ByteBufferSharedPage page;
    private XenstoreRing client;
    private XenstoreRing server;
    private byte[] request;
    private byte[] received;
    /** Where the next straddling transfer starts; only grows, as the peers require of the indices. */
    private int start;

    @Setup
    public void map() {
        page = ByteBufferSharedPage.onHeap("benchmark page");
        client = new XenstoreRing(page, XenstoreRing.End.CLIENT);
        server = new XenstoreRing(page, XenstoreRing.End.SERVER);
        request = new byte[bytes];
        received = new byte[bytes];
        start = XenstoreRing.RING_SIZE - bytes / 2;
    }

    @TearDown
    public void unmap() {
        page.close();
    }

    @Benchmark
    public byte[] straddlingWrap() throws RingCorruptedException {
        page.setIntVolatile(XenstoreRing.REQ_PROD, start);
        page.setIntVolatile(XenstoreRing.REQ_CONS, start);
        start += XenstoreRing.RING_SIZE;
        return transfer();
    }

    @Benchmark
    public byte[] freeRunning() throws RingCorruptedException {
        return transfer();
    }

    private byte[] transfer() throws RingCorruptedException {
        if (client.produce(request, 0, bytes) != bytes || server.consume(received, 0, bytes) != bytes) {
            throw new IllegalStateException("a transfer smaller than the ring did not pass whole");
        }
        return received;
    }
}
