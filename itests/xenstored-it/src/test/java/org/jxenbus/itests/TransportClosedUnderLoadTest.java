package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.ClosedSelectorException;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.TestSize;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.OutcomeUnknownException;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.spi.connection.ConnectionFactory;
import org.jxenbus.xenstore.spi.connection.TransportSource;
import org.jxenbus.xenstore.spi.transport.IncomingMessages;
import org.jxenbus.xenstore.spi.transport.OutgoingMessages;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportInfo;
import org.jxenbus.xenstore.spi.transport.TransportProvider;
import org.jxenbus.xenstore.spi.wire.MalformedMessageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A transport closed by another thread while the I/O thread uses it, as a transport bundle that goes away
 * closes its transports: the connection takes it for lost and reconnects through its source, reads are
 * retried and complete, writes complete or end in OutcomeUnknownException, a watch is set again, no call
 * hangs and no thread spins. Over xenstored's socket and dom0's ring (where requests of 3 KiB span several
 * passes of the 1 KiB ring, so closes land in the middle of one and the next transport on the same ring must
 * still be served), and over a transport that breaks the SPI by throwing unchecked exceptions once closed.
 */
@Tag("transport-specific") // chooses its transports itself
class TransportClosedUnderLoadTest {

    private static final int THREADS = 8;
    /** About this many bytes span three passes of the 1 KiB request ring. */
    private static final int BIG_VALUE_BYTES = 3000;

    FakeXenHost host;

    @BeforeEach
    void start() {
        host = FakeXenHost.start();
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"socket", "dom0 ring"})
    void aTransportClosedUnderTheIoThreadIsReplacedAndNothingHangs(String transport) throws Exception {
        URI uri = transport.equals("socket") ? host.socketUri() : host.dom0RingUri();
        ClosingSource source = new ClosingSource(uri, Breakage.NONE);
        XenstoreConnection xs = closeRepeatedlyUnderLoad(source);
        assertEquals(0, xs.statistics().ioFaults(), "a closed transport throws IOException, never a fault to survive");
        xs.close();
    }

    @Test
    void aTransportThrowingUncheckedExceptionsOnceClosedIsTakenForLostInsteadOfSpinning() throws Exception {
        ClosingSource source = new ClosingSource(host.socketUri(), Breakage.UNCHECKED_FROM_WRITE_AND_READ);
        XenstoreConnection xs = closeRepeatedlyUnderLoad(source);
        long faults = xs.statistics().ioFaults();
        assertTrue(faults > 0, "the faults were survived first: " + xs.statistics());
        assertTrue(faults < 100L * source.closed.get(), "a bounded number of faults per close, no spin: " + faults);
        xs.close();
    }

    @Test
    void aTransportWhoseAwaitThrowsUncheckedOnceClosedIsTakenForLostInsteadOfFailingTheConnection()
            throws Exception {
        ClosingSource source = new ClosingSource(host.socketUri(), Breakage.UNCHECKED_FROM_AWAIT);
        XenstoreConnection xs = closeRepeatedlyUnderLoad(source);
        assertEquals(0, xs.statistics().ioFaults(), "lost at once, not survived");
        xs.close();
    }

    /** Closes the source's current transport from this thread, again and again, under load; returns the connection. */
    private XenstoreConnection closeRepeatedlyUnderLoad(ClosingSource source) throws Exception {
        int closes = TestSize.pick(15, 100);
        ConnectionFactory core = ServiceLoader.load(ConnectionFactory.class).findFirst().orElseThrow();
        XenstoreConnection xs = core.open(source,
                ConnectionOptions.defaults().withRequestTimeout(Duration.ofSeconds(20)));
        AtomicInteger fired = new AtomicInteger();
        Random random = new Random(9);
        try (RawWatch w = xs.watch("/tc/w", e -> {
            if (e.path().equals("/tc/w")) {
                fired.incrementAndGet();
            }
        }); Load load = new Load(xs, "/tc/load")) {
            WatchServiceTest.await(() -> fired.get() == 1);
            for (int i = 0; i < closes; i++) {
                Thread.sleep(20 + random.nextInt(80));
                int opened = source.opened.get();
                int firedBefore = fired.get();
                long[] before = load.completed();
                source.closeCurrent();
                WatchServiceTest.await(() -> source.opened.get() > opened);
                WatchServiceTest.await(() -> fired.get() > firedBefore);
                WatchServiceTest.await(() -> load.eachThreadCompletedSince(before));
            }
            load.stop();
            System.out.printf("%s closed %d times under %d threads: %s; opened %d times; watch fired %d times; %s%n",
                    source.describe(), closes, THREADS, load, source.opened.get(), fired.get(), xs.statistics());
            assertEquals(closes + 1, fired.get(), "the watch was set again on each new transport");
            assertEquals(closes + 1, source.opened.get(), "one new transport per close, no other loss");
        } catch (Exception | Error e) {
            xs.close();
            throw e;
        }
        return xs;
    }

    /**
     * Threads writing their own key and reading it back (every fourth value too big for one pass of the
     * ring), and incrementing their own counter in transactions. A write or commit may end in
     * OutcomeUnknownException; anything else that is not the right reply fails the run, and so does a call
     * that hangs.
     */
    private static final class Load implements AutoCloseable {
        private final AtomicLong[] completed = new AtomicLong[THREADS];
        private final AtomicLong outcomesUnknown = new AtomicLong();
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        private final CompletableFuture<Void> workers;

        Load(XenstoreConnection xs, String root) {
            CompletableFuture<?>[] each = new CompletableFuture<?>[THREADS];
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                completed[t] = new AtomicLong();
                each[t] = CompletableFuture.runAsync(() -> run(xs, root + "/t" + thread, new Random(thread),
                        completed[thread]), pool);
            }
            workers = CompletableFuture.allOf(each);
        }

        private void run(XenstoreConnection xs, String base, Random random, AtomicLong done) {
            for (long i = 0; !stopping.get(); i++) {
                try {
                    if (random.nextBoolean()) {
                        String value = i + ":";
                        value = random.nextInt(4) == 0 ? value.repeat(BIG_VALUE_BYTES / value.length()) : value;
                        xs.write(base + "/k", value);
                        assertEquals(value, xs.read(base + "/k"), base + "/k");
                    } else {
                        xs.transaction(tx -> {
                            String c = tx.exists(base + "/count") ? tx.read(base + "/count") : "0";
                            tx.write(base + "/count", Long.toString(Long.parseLong(c) + 1));
                            return null;
                        });
                    }
                } catch (OutcomeUnknownException e) {
                    outcomesUnknown.incrementAndGet();
                }
                done.incrementAndGet();
            }
        }

        long[] completed() {
            long[] now = new long[THREADS];
            for (int t = 0; t < THREADS; t++) {
                now[t] = completed[t].get();
            }
            return now;
        }

        boolean eachThreadCompletedSince(long[] before) {
            long[] now = completed();
            for (int t = 0; t < THREADS; t++) {
                if (now[t] <= before[t]) {
                    return false;
                }
            }
            return true;
        }

        /** Stops the threads; rethrows the first failure, or times out if a call hung. */
        void stop() throws Exception {
            stopping.set(true);
            workers.get(3, TimeUnit.MINUTES);
        }

        @Override
        public void close() {
            stopping.set(true);
            pool.shutdownNow();
        }

        @Override
        public String toString() {
            return java.util.Arrays.stream(completed()).sum() + " calls, " + outcomesUnknown
                    + " with outcome unknown";
        }
    }

    /** How a transport of the source misbehaves once closed. */
    private enum Breakage {
        /** Not at all: as the SPI says, its I/O methods throw IOException. */
        NONE,
        /** Write and read throw IllegalStateException, await returns at once (as the ring did once unmapped). */
        UNCHECKED_FROM_WRITE_AND_READ,
        /** Write and read do nothing, await throws ClosedSelectorException (as the socket's select did). */
        UNCHECKED_FROM_AWAIT
    }

    /** Opens {@code uri} each time, remembering the transport, which the test closes from its own thread. */
    private static final class ClosingSource implements TransportSource {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        private final URI uri;
        private final Breakage breakage;
        private volatile Transport current;

        ClosingSource(URI uri, Breakage breakage) {
            this.uri = uri;
            this.breakage = breakage;
        }

        @Override
        public Transport open() throws IOException {
            for (TransportProvider p : ServiceLoader.load(TransportProvider.class)) {
                if (p.accepts(uri)) {
                    Transport t = p.open(uri);
                    current = breakage == Breakage.NONE ? t : new BrokenOnceClosed(t, breakage);
                    opened.incrementAndGet();
                    return current;
                }
            }
            throw new IOException("no transport for " + uri);
        }

        void closeCurrent() {
            current.close();
            closed.incrementAndGet();
        }

        @Override
        public String describe() {
            return uri + (breakage == Breakage.NONE ? "" : " (" + breakage + ")");
        }
    }

    /** Breaks the SPI once closed, as {@code breakage} says; before, it is the transport it wraps. */
    private static final class BrokenOnceClosed implements Transport {
        private final Transport delegate;
        private final Breakage breakage;
        private volatile boolean closed;

        BrokenOnceClosed(Transport delegate, Breakage breakage) {
            this.delegate = delegate;
            this.breakage = breakage;
        }

        @Override
        public TransportInfo info() {
            return delegate.info();
        }

        @Override
        public boolean write(OutgoingMessages source) throws IOException {
            if (!closed) {
                return delegate.write(source);
            }
            if (breakage == Breakage.UNCHECKED_FROM_WRITE_AND_READ) {
                throw new IllegalStateException("closed");
            }
            return false;
        }

        @Override
        public void read(IncomingMessages sink) throws IOException, MalformedMessageException {
            if (!closed) {
                delegate.read(sink);
            } else if (breakage == Breakage.UNCHECKED_FROM_WRITE_AND_READ) {
                throw new IllegalStateException("closed");
            }
        }

        @Override
        public void await(boolean wantWrite, long timeoutNanos) throws IOException {
            try {
                if (!closed) {
                    delegate.await(wantWrite, timeoutNanos);
                }
            } catch (IOException e) {
                if (!closed) {
                    throw e;
                }
            }
            if (closed && breakage == Breakage.UNCHECKED_FROM_AWAIT) {
                throw new ClosedSelectorException();
            }
        }

        @Override
        public void wakeup() {
            delegate.wakeup();
        }

        @Override
        public Map<String, Long> counters() {
            return delegate.counters();
        }

        @Override
        public boolean atMessageBoundary() {
            return delegate.atMessageBoundary();
        }

        @Override
        public void close() {
            closed = true;
            delegate.close();
        }
    }
}
