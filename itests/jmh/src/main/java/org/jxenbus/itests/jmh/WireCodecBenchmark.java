package org.jxenbus.itests.jmh;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.spi.wire.FrameDecoder;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.jxenbus.xenstore.spi.wire.XsWire;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The wire codec, per message. {@code encodeRead}: what a READ costs from its path to bytes in the socket
 * transport's output buffer (the payload built as the core builds it at submission, the header and payload
 * encoded as the I/O thread does). {@code decodeReplies}: READ replies with {@code valueBytes}-byte values cut
 * out of a byte stream that arrives {@code chunkBytes} at a time (1024: one pass of the ring; 65536: the
 * socket transport's read buffer), each handed to a sink as an {@link XsMessage}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WireCodecBenchmark {

    private static final String PATH = "/local/domain/5/device/vif/0/state";

    /** Replies in the stream fed per invocation; the score is per reply. */
    private static final int REPLIES = 32;

    private final ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
    private int reqId;

    @Benchmark
    public ByteBuffer encodeRead() {
        out.clear();
        XsWire.encode(new XsMessage(XsMessageType.XS_READ.code(), reqId++, 0, Payloads.strings(PATH)), out);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(REPLIES)
    public void decodeReplies(ReplyStream replies, Blackhole sink) throws MalformedMessageException {
        byte[] stream = replies.bytes;
        for (int at = 0; at < stream.length; at += replies.chunkBytes) {
            replies.decoder.feed(ByteBuffer.wrap(stream, at, Math.min(replies.chunkBytes, stream.length - at)),
                    sink::consume);
        }
    }

    /** {@value #REPLIES} encoded READ replies and the decoder that reads them. */
    @State(Scope.Thread)
    public static class ReplyStream {

        @Param({"16", "4000"})
        public int valueBytes;

        @Param({"1024", "65536"})
        public int chunkBytes;

        final FrameDecoder decoder = new FrameDecoder();
        byte[] bytes;

        @Setup
        public void encode() {
            ByteBuffer b = ByteBuffer.allocate(REPLIES * (XsWire.HEADER_SIZE + valueBytes));
            for (int i = 0; i < REPLIES; i++) {
                XsWire.encode(new XsMessage(XsMessageType.XS_READ.code(), i, 0, new byte[valueBytes]), b);
            }
            bytes = b.array();
        }
    }
}
