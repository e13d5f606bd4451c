import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The floor for one JVM thread that does its own I/O, as libxenstore's caller does: it writes a READ of
 * {@code /local} with a blocking write and reads the reply with blocking reads, {@code N} times a round, four
 * rounds, on xenstored's unix socket. No library, no I/O thread: what a caller alone on a connection could get
 * if it wrote and read itself (docs/benchmarks.md, "Where a request's client CPU goes").
 *
 * <p>With {@code selector}, the socket is non-blocking under a selector, as the socket transport keeps it: the
 * thread writes, reads what is there, and selects until the reply is whole. That is what a caller leading the
 * connection's I/O through the transport SPI would do (write, read, await).
 *
 * <pre>java -XX:TieredStopAtLevel=1 itests/bench/DirectRead.java SOCKET N [blocking|selector]</pre>
 */
public final class DirectRead {

    private static final int XS_READ = 2;
    private static final int HEADER = 16;

    private DirectRead() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        byte[] path = "/local\0".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocateDirect(HEADER + path.length).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer in = ByteBuffer.allocateDirect(HEADER + 4096).order(ByteOrder.LITTLE_ENDIAN);
        boolean selecting = args.length > 2 && args[2].equals("selector");
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(args[0]));
                Selector selector = Selector.open()) {
            if (selecting) {
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ);
            }
            for (int round = 1; round <= 4; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    out.clear();
                    out.putInt(XS_READ).putInt(i).putInt(0).putInt(path.length).put(path).flip();
                    while (out.hasRemaining()) {
                        channel.write(out);
                    }
                    in.clear();
                    while (in.position() < HEADER || in.position() < HEADER + in.getInt(12)) {
                        int read = channel.read(in);
                        if (read < 0) {
                            throw new java.io.EOFException("xenstored closed the socket");
                        }
                        if (read == 0 && selecting) {
                            selector.select(1000);
                            selector.selectedKeys().clear();
                        }
                    }
                    if (in.getInt(0) != XS_READ || in.getInt(4) != i) {
                        throw new IllegalStateException("unexpected reply: type " + in.getInt(0) + ", id " + in.getInt(4));
                    }
                }
                long elapsed = System.nanoTime() - start;
                System.out.printf("%s round %d: %.1f us/op, req/s=%.0f%n", selecting ? "selector" : "blocking", round, elapsed / 1e3 / n, n * 1e9 / elapsed);
            }
        }
    }
}
