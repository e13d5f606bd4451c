package org.jxenbus.xenstore.sim.internal.frontend;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.jxenbus.xenstore.sim.internal.engine.Connection;
import org.jxenbus.xenstore.sim.internal.engine.Engine;
import org.jxenbus.xenstore.sim.internal.engine.Frontend;
import org.jxenbus.xenstore.spi.wire.FrameDecoder;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * xenstored's unix socket: every client a privileged connection, as on xenstored's socket. One thread
 * ({@code xenstored-sim-socket-N}) accepts, reads and writes for all clients under one selector. A client
 * announcing a payload over {@code XENSTORE_PAYLOAD_MAX} is disconnected, as xenstored does; a client that
 * does not read its replies is not read either once a few of its requests wait. The socket is created
 * owner-only (0600). Thread-safe: {@link #close} from any thread.
 */
final class SocketServer implements AutoCloseable {

    private static final Logger LOG = System.getLogger(SocketServer.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Requests read ahead of the engine per client before the socket is left unread. */
    private static final int READ_AHEAD = 8;
    private static final int BUFFER = 64 * 1024;

    private final Path path;
    private final Engine engine;
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Thread thread;
    private final List<Client> clients = new ArrayList<>();
    private final ConcurrentLinkedQueue<Client> closedByEngine = new ConcurrentLinkedQueue<>();
    private volatile boolean closing;

    SocketServer(Path path, Engine engine) throws IOException {
        this.path = path.toAbsolutePath();
        this.engine = engine;
        Files.deleteIfExists(this.path);
        ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            l.bind(UnixDomainSocketAddress.of(this.path));
            Files.setPosixFilePermissions(this.path, PosixFilePermissions.fromString("rw-------"));
            l.configureBlocking(false);
            this.selector = Selector.open();
            l.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            l.close();
            Files.deleteIfExists(this.path);
            throw e;
        }
        this.listener = l;
        this.thread = new Thread(this::run, "xenstored-sim-socket-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    Path path() {
        return path;
    }

    private void run() {
        while (!closing) {
            try {
                for (Client c; (c = closedByEngine.poll()) != null;) {
                    drop(c, false);
                }
                for (Client c : new ArrayList<>(clients)) {
                    c.pass();
                }
                selector.select(250);
                for (SelectionKey k : selector.selectedKeys()) {
                    if (k.isValid() && k.isAcceptable()) {
                        accept();
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException | RuntimeException e) {
                if (!closing) {
                    LOG.log(Level.ERROR, "socket server " + path + ": unexpected failure; going on", e);
                    pause();
                }
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = listener.accept()) != null) {
            ch.configureBlocking(false);
            Client c = new Client(ch);
            try {
                c.conn = engine.openSocket(c);
            } catch (RuntimeException e) {
                ch.close();
                throw e;
            }
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            clients.add(c);
        }
    }

    private void drop(Client c, boolean tellEngine) {
        if (clients.remove(c)) {
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // closing: nothing to do about it
            }
            if (tellEngine) {
                engine.closeSocket(c.conn);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One socket client: its connection, decoder and pending output. */
    private final class Client implements Frontend {
        final SocketChannel channel;
        final FrameDecoder decoder = new FrameDecoder();
        final ByteBuffer in = ByteBuffer.allocate(BUFFER);
        final ByteBuffer out = ByteBuffer.allocate(BUFFER);
        Connection conn;
        SelectionKey key;

        Client(SocketChannel channel) {
            this.channel = channel;
        }

        void pass() {
            try {
                flush();
                if (conn.pendingRequests() < READ_AHEAD) {
                    read();
                }
                flush();
                int ops = (conn.pendingRequests() < READ_AHEAD ? SelectionKey.OP_READ : 0)
                        | (out.position() > 0 ? SelectionKey.OP_WRITE : 0);
                if (key.isValid()) {
                    key.interestOps(ops);
                }
            } catch (MalformedMessageException e) {
                LOG.log(Level.WARNING, "socket client of " + path + " broke the protocol and is dropped: "
                        + e.getMessage());
                drop(this, true);
            } catch (IOException e) {
                drop(this, true);
            }
        }

        private void read() throws IOException, MalformedMessageException {
            for (int i = 0; i < 8 && conn.pendingRequests() < READ_AHEAD; i++) {
                int n = channel.read(in);
                in.flip();
                try {
                    decoder.feed(in, conn::submit);
                } finally {
                    in.compact();
                }
                if (n < 0) {
                    throw new IOException("EOF");
                }
                if (n == 0) {
                    return;
                }
            }
        }

        /**
         * Writes what the connection has queued. A message counts as written once wholly in the buffer, just
         * before the bytes go out: the engine then never counts a reply the client has read as unwritten.
         */
        private void flush() throws IOException {
            while (true) {
                while (out.remaining() >= XsWire.MESSAGE_MAX) {
                    Object h = conn.takeHandle();
                    if (h == null) {
                        break;
                    }
                    XsWire.encode(Connection.messageOf(h), out);
                    conn.written(h);
                }
                if (out.position() == 0) {
                    return;
                }
                out.flip();
                int n = channel.write(out);
                out.compact();
                if (n == 0) {
                    return;
                }
            }
        }

        @Override
        public void outputAvailable() {
            selector.wakeup();
        }

        @Override
        public void closed() {
            closedByEngine.add(this);
            selector.wakeup();
        }
    }

    /** Stops accepting, disconnects every client (their state goes) and removes the socket. Idempotent. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Client c : new ArrayList<>(clients)) {
            drop(c, true);
        }
        try {
            listener.close();
            selector.close();
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // closing: nothing to do about it
        }
    }
}
