package org.jxenbus.testsupport;

import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.jxenbus.xenstore.spi.wire.FrameDecoder;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * A unix-socket proxy between a client and the real xenstored that can hold back, reorder and duplicate
 * replies, answer requests itself, and run an action before forwarding a request. The real daemon always
 * answers in order; only through this proxy does a test show that replies are matched by id, not by
 * position. It can also send a client bytes that are no message at all ({@link #injectRaw}), for the
 * malformed-reply fault injection. Records every message it sees. Each accepted client gets its own upstream
 * connection.
 *
 * <p>Configuration methods are thread-safe and take effect for the next message.
 */
public final class ReorderingProxy implements AutoCloseable {

    /** What to do with one client request. */
    @FunctionalInterface
    public interface RequestHook {
        /**
         * @return {@code null} to forward the request unchanged, or the messages to answer the client with
         *         instead (an empty list drops the request)
         */
        List<XsMessage> onRequest(XsMessage request) throws IOException;
    }

    private final Path upstream;
    private final Path listen;
    private final ServerSocketChannel server;
    private final List<XsMessage> requests = new CopyOnWriteArrayList<>();
    private final List<XsMessage> replies = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> channels = new CopyOnWriteArrayList<>();
    private final List<Pair> pairs = new CopyOnWriteArrayList<>();
    private final AtomicLong reordered = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private volatile RequestHook requestHook = r -> null;
    private volatile UnaryOperator<XsMessage> requestRewriter = UnaryOperator.identity();
    private volatile Function<XsMessage, List<XsMessage>> replyRewriter = List::of;
    private volatile int reorderWindow = 1;
    private volatile long maxHoldMillis = 5;
    private volatile int duplicateEvery;
    private final Random random = new Random(42);
    private volatile boolean closed;

    private ReorderingProxy(Path upstream, Path listen) throws IOException {
        this.upstream = upstream;
        this.listen = listen;
        Files.deleteIfExists(listen);
        this.server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(listen));
        Thread acceptor = new Thread(this::acceptLoop, "proxy-accept");
        acceptor.setDaemon(true);
        threads.add(acceptor);
        acceptor.start();
    }

    /** Listens on {@code listen}, forwarding to xenstored's socket {@code upstream}. */
    public static ReorderingProxy start(Path upstream, Path listen) throws IOException {
        return new ReorderingProxy(upstream, listen);
    }

    /** Listens on {@code D/proxy.socket} in front of the host's xenstored. */
    public static ReorderingProxy start(FakeXenHost host) throws IOException {
        return start(host.socket(), host.dir().resolve("proxy.socket"));
    }

    /** The URI clients connect to. */
    public URI uri() {
        return URI.create("unix:" + listen);
    }

    /**
     * Holds replies (not watch events) until {@code window} are held or the oldest has waited
     * {@code maxHoldMillis}, then sends the held ones in random order.
     */
    public void reorderReplies(int window, long maxHoldMillis) {
        this.maxHoldMillis = maxHoldMillis;
        this.reorderWindow = window;
    }

    /** Sends every {@code n}-th reply twice (0 turns it off). */
    public void duplicateEveryNthReply(int n) {
        this.duplicateEvery = n;
    }

    /** Decides per request: forward, or answer in the proxy's place. */
    public void onRequest(RequestHook hook) {
        this.requestHook = hook == null ? r -> null : hook;
    }

    /** Replaces each client request before the hook sees it and before it is forwarded. */
    public void rewriteRequests(UnaryOperator<XsMessage> rewriter) {
        this.requestRewriter = rewriter == null ? UnaryOperator.identity() : rewriter;
    }

    /**
     * Replaces each server message by the list returned (empty drops it, two entries inject one) before
     * reordering and duplication apply.
     */
    public void rewriteReplies(Function<XsMessage, List<XsMessage>> rewriter) {
        this.replyRewriter = rewriter == null ? List::of : rewriter;
    }

    /** Every request seen, in arrival order (after rewriting). */
    public List<XsMessage> requests() {
        return List.copyOf(requests);
    }

    /** Every message the server sent, in arrival order. */
    public List<XsMessage> replies() {
        return List.copyOf(replies);
    }

    /** Replies that were sent in another order than the server's. */
    public long reorderedReplies() {
        return reordered.get();
    }

    /** Replies sent twice. */
    public long duplicatedReplies() {
        return duplicated.get();
    }

    /** Client connections accepted so far (a client that reconnects counts again). */
    public int clientsAccepted() {
        return pairs.size();
    }

    /**
     * Writes {@code bytes} as they are to every client connected now, once, between two whole messages (under
     * the lock replies are written with). The bytes need not be a message: a header announcing too long a
     * payload, half a header. May be called from a reply rewriter, for instance to send the bytes in place of
     * the reply it drops.
     *
     * <p>With {@code thenEnd}, the stream to that client then ends as when a server closes its socket: the
     * client reads the bytes, then the end of the stream, and nothing more is sent to it. Its connections are
     * closed once the client closes its end (closing them at once would make the client's read fail with a
     * reset instead, whenever requests it sent were still unread).
     *
     * @return how many clients were written to
     * @throws IOException if writing to a client fails
     */
    public int injectRaw(byte[] bytes, boolean thenEnd) throws IOException {
        int written = 0;
        for (Pair p : pairs) {
            if (p.inject(bytes, thenEnd)) {
                written++;
            }
        }
        return written;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                SocketChannel daemon = SocketChannel.open(UnixDomainSocketAddress.of(upstream));
                channels.add(client);
                channels.add(daemon);
                Pair pair = new Pair(client, daemon);
                pairs.add(pair);
                startThread("proxy-up", pair::pumpRequests);
                startThread("proxy-down", pair::pumpReplies);
                startThread("proxy-flush", pair::flushLoop);
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("proxy: accept failed: " + e);
                }
                return;
            }
        }
    }

    private void startThread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (SocketChannel c : channels) {
            c.close();
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(listen);
    }

    /** One client and its upstream connection. */
    private final class Pair {
        private final SocketChannel client;
        private final SocketChannel daemon;
        private final List<XsMessage> held = new ArrayList<>();
        /** The stream to the client was ended by {@link #inject}: nothing more goes to it. */
        private boolean ended;
        private long heldSince;
        private long count;

        Pair(SocketChannel client, SocketChannel daemon) {
            this.client = client;
            this.daemon = daemon;
        }

        void pumpRequests() {
            pump(client, original -> {
                XsMessage m = requestRewriter.apply(original);
                requests.add(m);
                List<XsMessage> answer = requestHook.onRequest(m);
                if (answer == null) {
                    writeAll(daemon, List.of(m));
                } else {
                    synchronized (this) {
                        toClient(answer);
                    }
                }
            });
        }

        void pumpReplies() {
            pump(daemon, fromServer -> {
                replies.add(fromServer);
                for (XsMessage m : replyRewriter.apply(fromServer)) {
                    sendReply(m);
                }
            });
        }

        private synchronized void sendReply(XsMessage m) throws IOException {
            List<XsMessage> out = new ArrayList<>();
            out.add(m);
            if (duplicateEvery > 0 && m.type() != XsMessageType.XS_WATCH_EVENT.code() && ++count % duplicateEvery == 0) {
                out.add(m);
                duplicated.incrementAndGet();
            }
            if (reorderWindow <= 1 || m.type() == XsMessageType.XS_WATCH_EVENT.code()) {
                toClient(out);
                return;
            }
            if (held.isEmpty()) {
                heldSince = System.nanoTime();
            }
            held.addAll(out);
            if (held.size() >= reorderWindow) {
                flushHeld();
            }
        }

        synchronized boolean inject(byte[] bytes, boolean thenEnd) throws IOException {
            if (ended || !client.isOpen()) {
                return false;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                client.write(b);
            }
            if (thenEnd) {
                ended = true;
                client.shutdownOutput();
            }
            return true;
        }

        /** Writes to the client unless its stream was ended; callers hold this pair's lock. */
        private void toClient(List<XsMessage> messages) throws IOException {
            if (!ended) {
                writeAll(client, messages);
            }
        }

        void flushLoop() {
            while (!closed && client.isOpen()) {
                try {
                    Thread.sleep(1);
                    synchronized (this) {
                        if (!held.isEmpty() && System.nanoTime() - heldSince > maxHoldMillis * 1_000_000L) {
                            flushHeld();
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void flushHeld() throws IOException {
            List<XsMessage> order = new ArrayList<>(held);
            Collections.shuffle(order, random);
            for (int i = 0; i < order.size(); i++) {
                if (order.get(i) != held.get(i)) {
                    reordered.incrementAndGet();
                }
            }
            held.clear();
            toClient(order);
        }

        private void pump(SocketChannel from, IoConsumer each) {
            FrameDecoder decoder = new FrameDecoder();
            ByteBuffer buf = ByteBuffer.allocate(65536);
            try {
                while (true) {
                    buf.clear();
                    if (from.read(buf) < 0) {
                        throw new EOFException();
                    }
                    buf.flip();
                    List<XsMessage> got = new ArrayList<>();
                    decoder.feed(buf, got::add);
                    for (XsMessage m : got) {
                        each.accept(m);
                    }
                }
            } catch (IOException | MalformedMessageException e) {
                closeQuietly(client);
                closeQuietly(daemon);
            }
        }
    }

    private static void writeAll(SocketChannel to, List<XsMessage> messages) throws IOException {
        for (XsMessage m : messages) {
            ByteBuffer b = ByteBuffer.wrap(XsWire.encode(m));
            while (b.hasRemaining()) {
                to.write(b);
            }
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // the other side already went
        }
    }

    @FunctionalInterface
    private interface IoConsumer {
        void accept(XsMessage m) throws IOException;
    }
}
