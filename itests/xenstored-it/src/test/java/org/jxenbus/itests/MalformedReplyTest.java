package org.jxenbus.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.transport.ring.fake.FakeHost;
import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.ConnectionStatistics;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.OutcomeUnknownException;
import org.jxenbus.xenstore.api.ProtocolViolationException;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.TransportFailureException;
import org.jxenbus.xenstore.api.WatchEvent;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.client.Xenstore;
import org.jxenbus.xenstore.spi.ring.SharedPage;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.jxenbus.xenstore.spi.wire.Payloads;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.jxenbus.xenstore.spi.wire.XsWire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 13's malformed replies, each injected once into a connection that 16 threads load with writes and
 * checked reads of their own keys. For each kind: the request it hits gets the typed outcome the kind
 * deserves, or the message is discarded and counted; every other request of the load completes (only writes
 * in flight when the stream is reset may end with {@link OutcomeUnknownException}, and on a ring the server
 * broke only with {@link TransportFailureException}); a write and a read are served afterwards; every wait is
 * bounded and no I/O thread is left behind. Each kind prints one line with its outcome, the counters that
 * moved and the load's counts; the class a last line with the number of kinds.
 *
 * <p><b>Over the socket</b> ({@link ReplyFault}) through the {@link ReorderingProxy} in front of the real C
 * xenstored: a probe request of the test's own is answered with the fault in place of, or next to, xenstored's
 * real reply. A fault in the stream (a header announcing more than XENSTORE_PAYLOAD_MAX, half a header) loses
 * the connection, which is replaced (the proxy accepts a second client): reads in flight are sent again,
 * writes in flight have an unknown outcome naming the cause. A fault in one message (its type, request id,
 * transaction id, payload) is that request's error or is discarded, and the stream goes on.
 *
 * <p><b>Over dom0's ring</b> ({@link RingFault}) of a C xenstored of its own, whose page is poked as a
 * misbehaving server would. Response indices further apart than the ring or moving backwards are final: the
 * ring cannot be trusted again, and only a server advertising RECONNECTION could reset it, which xenstored
 * does not; every request fails with {@link TransportFailureException} naming the corruption, and a new
 * connection is served once the page is sane. The {@code error} field counts only when the server advertises
 * FEATURE_ERROR (xenstore-ring.txt), and Debian's xenstored 4.17 advertises no feature at all (asserted): an
 * {@code error} it did not mean is ignored by the client while xenstored goes on serving, and the same value
 * with the feature advertised fails the connection. Only the client sets {@code connection} to RECONNECT
 * (xenstore-ring.txt): set under a connected client, it is ignored (the client reads it only when connecting,
 * and xenstored, which implements no reconnection, goes on serving), and the load goes on.
 *
 * <p>Runs in the C xenstored lane only: the faults test the client, and the simulator lanes would repeat them.
 */
@Tag("transport-specific") // the proxy's socket and dom0's ring, whatever the lane's transport
class MalformedReplyTest {

    private static final int THREADS = 16;
    /** Load operations completed before the fault is injected, and again after it. */
    private static final int OPERATIONS_AROUND_THE_FAULT = 300;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final long WAIT_SECONDS = 30;
    private static final ConnectionOptions OPTIONS = ConnectionOptions.defaults().withRequestTimeout(REQUEST_TIMEOUT);
    private static final String PROBE_VALUE = "probe";
    private static final String WRITTEN = "written";
    private static final String LOST = "OutcomeUnknownException(CONNECTION_LOST)";
    private static final String FAILED = "TransportFailureException";
    private static final List<String> KINDS = new CopyOnWriteArrayList<>();
    private static final AtomicInteger RUNS = new AtomicInteger();

    private static FakeXenHost host;

    /** What became of the connection's stream. */
    private enum Stream {
        /** It went on: no reconnection, no request of the load failed. */
        KEPT,
        /** It was lost and replaced: writes in flight may have an unknown outcome, everything else completed. */
        RESET,
        /** The connection failed for good: every request fails with TransportFailureException. */
        FAILED
    }

    /**
     * How the counters moved for the fault: replies matching no request, events for no listener, and warning
     * lines (the only trace of a malformed watch event; a lost connection writes one too).
     */
    private record Counts(long unknownReplies, long unknownWatchEvents, long logLines) {
        static final Counts NONE = new Counts(0, 0, 0);

        @Override
        public String toString() {
            return "unknownReplies +" + unknownReplies + ", unknownWatchEvents +" + unknownWatchEvents
                    + ", logLinesWritten +" + logLines;
        }
    }

    /**
     * What the probe request gets: its value, or an exception of exactly one class, with the server's error name
     * (null when found on the client side), whose message names the request and says all of {@code mentions}.
     */
    private record Outcome(Object value, Class<? extends XenstoreException> thrown, String errorName,
            List<String> mentions) {
        static Outcome value(Object value) {
            return new Outcome(value, null, null, List.of());
        }

        static Outcome thrown(Class<? extends XenstoreException> type, String errorName, String... mentions) {
            return new Outcome(null, type, errorName, List.of(mentions));
        }

        void check(Object outcome, String request) {
            if (thrown == null) {
                assertEquals(value, outcome);
                return;
            }
            XenstoreException e = assertInstanceOf(thrown, outcome);
            assertEquals(thrown, e.getClass(), "exactly this type");
            assertEquals(errorName, e.errorName());
            assertMentions(e, request);
            mentions.forEach(part -> assertMentions(e, part));
        }
    }

    /**
     * A fault over the socket: the proxy makes {@code fault} of xenstored's reply to the probe, a request of
     * type {@code probe} on the probe node (a write, a read, or a transaction start).
     */
    private enum ReplyFault {
        LENGTH_OVER_PAYLOAD_MAX("len 5000 > 4096", XsMessageType.XS_WRITE, false,
                (run, reply) -> run.injectInstead(header(reply.type(), reply.reqId(), reply.txId(), 5000), false),
                Stream.RESET, new Counts(0, 0, 1), Outcome.thrown(OutcomeUnknownException.class, null,
                        "the connection was lost: the server broke the protocol: header announces 5000 payload bytes,"
                                + " more than XENSTORE_PAYLOAD_MAX 4096", "outcome unknown: connection lost")),
        TRUNCATED_HEADER_THEN_CLOSED("truncated header, then closed", XsMessageType.XS_WRITE, false,
                (run, reply) -> run.injectInstead(Arrays.copyOf(XsWire.encode(reply), XsWire.HEADER_SIZE / 2), true),
                Stream.RESET, new Counts(0, 0, 1), Outcome.thrown(OutcomeUnknownException.class, null,
                        "the connection was lost: the server closed the connection", "outcome unknown: connection lost")),
        UNKNOWN_MESSAGE_TYPE("unknown message type 9999", XsMessageType.XS_READ, false,
                (run, reply) -> List.of(new XsMessage(9999, reply.reqId(), reply.txId(), reply.payload())),
                Stream.KEPT, Counts.NONE, Outcome.thrown(ProtocolViolationException.class, null,
                        "reply of unknown type 9999 to a request of type XS_READ")),
        UNKNOWN_REQUEST_ID("unknown req_id", XsMessageType.XS_READ, false,
                (run, reply) -> List.of(reply.withReqId(reply.reqId() + 0x8000_0000), reply),
                Stream.KEPT, new Counts(1, 0, 1), Outcome.value(PROBE_VALUE)),
        DUPLICATE_REPLY("duplicate reply", XsMessageType.XS_READ, false,
                (run, reply) -> List.of(reply, reply),
                Stream.KEPT, new Counts(1, 0, 1), Outcome.value(PROBE_VALUE)),
        WRONG_TRANSACTION_ID("wrong tx_id", XsMessageType.XS_READ, false,
                (run, reply) -> List.of(new XsMessage(reply.type(), reply.reqId(), 4242, reply.payload())),
                Stream.KEPT, Counts.NONE, Outcome.thrown(ProtocolViolationException.class, null,
                        "reply for transaction 4242 to a request outside transactions")),
        ERROR_WITHOUT_NUL("error string without NUL", XsMessageType.XS_READ, false,
                (run, reply) -> List.of(new XsMessage(XsMessageType.XS_ERROR.code(), reply.reqId(), reply.txId(),
                        "ENOENT".getBytes(StandardCharsets.US_ASCII))),
                Stream.KEPT, Counts.NONE, Outcome.thrown(ProtocolViolationException.class, null,
                        "malformed reply: string without its terminating NUL: \"ENOENT\"")),
        UNKNOWN_ERROR_NAME("unknown error name", XsMessageType.XS_READ, false,
                (run, reply) -> List.of(new XsMessage(XsMessageType.XS_ERROR.code(), reply.reqId(), reply.txId(),
                        Payloads.strings("EWHATEVER"))),
                Stream.KEPT, Counts.NONE, Outcome.thrown(XenstoreException.class, "EWHATEVER", ": EWHATEVER")),
        REPLY_OF_ANOTHER_TYPE("reply of the wrong type", XsMessageType.XS_WRITE, false,
                (run, reply) -> List.of(new XsMessage(XsMessageType.XS_READ.code(), reply.reqId(), reply.txId(),
                        reply.payload())),
                Stream.KEPT, Counts.NONE, Outcome.thrown(ProtocolViolationException.class, null,
                        "reply of type XS_READ to a request of type XS_WRITE")),
        UNPARSEABLE_TRANSACTION_ID("unparseable TRANSACTION_START reply", XsMessageType.XS_TRANSACTION_START, false,
                (run, reply) -> List.of(new XsMessage(reply.type(), reply.reqId(), reply.txId(), Payloads.strings("abc"))),
                Stream.KEPT, Counts.NONE, Outcome.thrown(ProtocolViolationException.class, null,
                        "transaction id \"abc\" is not an unsigned 32-bit non-zero number")),
        WATCH_EVENT_WITHOUT_TOKEN("watch event without a token", XsMessageType.XS_READ, true,
                (run, reply) -> List.of(reply, new XsMessage(XsMessageType.XS_WATCH_EVENT.code(), 0, 0,
                        Payloads.strings(run.watchPath))),
                Stream.KEPT, new Counts(0, 0, 1), Outcome.value(PROBE_VALUE)),
        WATCH_EVENT_FOR_UNKNOWN_TOKEN("watch event for an unknown token", XsMessageType.XS_READ, true,
                (run, reply) -> List.of(reply, new XsMessage(XsMessageType.XS_WATCH_EVENT.code(), 0, 0,
                        Payloads.strings(run.watchPath, "jxenbus-nobody"))),
                Stream.KEPT, new Counts(0, 1, 1), Outcome.value(PROBE_VALUE));

        final String kind;
        final XsMessageType probe;
        final boolean watched;
        final BiFunction<Run, XsMessage, List<XsMessage>> fault;
        final Stream stream;
        final Counts counts;
        final Outcome outcome;

        ReplyFault(String kind, XsMessageType probe, boolean watched, BiFunction<Run, XsMessage, List<XsMessage>> fault,
                Stream stream, Counts counts, Outcome outcome) {
            this.kind = kind;
            this.probe = probe;
            this.watched = watched;
            this.fault = fault;
            this.stream = stream;
            this.counts = counts;
            this.outcome = outcome;
        }
    }

    /** One field of dom0's ring page set to a value computed from the page as it is. */
    private record Poke(int offset, ToIntFunction<SharedPage> value) {
    }

    /**
     * A misbehaving server on dom0's ring: the fields poked in order (with xenstored frozen meanwhile when
     * {@code frozen}, so that it neither overwrites the poke nor sees it), then a read of the probe node.
     */
    private enum RingFault {
        INDICES_FURTHER_APART_THAN_THE_RING("ring rsp_prod - rsp_cons = 5000 > 1024", true,
                List.of(new Poke(XenstoreRing.RSP_PROD, page -> page.getIntVolatile(XenstoreRing.RSP_CONS) + 5000)),
                Stream.FAILED, Outcome.thrown(TransportFailureException.class, null,
                        "ring error: ", "inconsistent consume indices on the response ring", " > 1024")),
        PRODUCER_INDEX_MOVING_BACKWARDS("ring rsp_prod moving backwards", true,
                List.of(new Poke(XenstoreRing.RSP_PROD, page -> page.getIntVolatile(XenstoreRing.RSP_CONS) - 1)),
                Stream.FAILED, Outcome.thrown(TransportFailureException.class, null,
                        "ring error: ", "the peer's producer index moved backwards")),
        ERROR_FIELD_NOT_ADVERTISED("ring error=COMM, FEATURE_ERROR not advertised", false,
                List.of(new Poke(XenstoreRing.ERROR, page -> XenstoreRing.ERROR_COMM)),
                Stream.KEPT, Outcome.value(PROBE_VALUE)),
        ERROR_FIELD_ADVERTISED("ring error=RINGIDX, FEATURE_ERROR advertised", false,
                List.of(new Poke(XenstoreRing.SERVER_FEATURES, page -> XenstoreRing.FEATURE_ERROR),
                        new Poke(XenstoreRing.ERROR, page -> XenstoreRing.ERROR_RINGIDX)),
                Stream.FAILED, Outcome.thrown(TransportFailureException.class, null,
                        "ring error: ", "the server stopped serving this ring: error XENSTORE_ERROR_RINGIDX")),
        CONNECTION_FIELD_SET_TO_RECONNECT("ring connection=RECONNECT set by the server", false,
                List.of(new Poke(XenstoreRing.CONNECTION, page -> XenstoreRing.RECONNECT)),
                Stream.KEPT, Outcome.value(PROBE_VALUE));

        final String kind;
        final boolean frozen;
        final List<Poke> pokes;
        final Stream stream;
        final Outcome outcome;

        RingFault(String kind, boolean frozen, List<Poke> pokes, Stream stream, Outcome outcome) {
            this.kind = kind;
            this.frozen = frozen;
            this.pokes = pokes;
            this.stream = stream;
            this.outcome = outcome;
        }
    }

    @BeforeAll
    static void startXenstored() {
        assumeFalse(FakeXenHost.simulated(), "client-side faults: run once, in the C xenstored lane");
        host = FakeXenHost.start();
    }

    @AfterAll
    static void stopXenstored() {
        if (host != null) {
            host.close();
        }
        if (!KINDS.isEmpty()) {
            System.out.println("malformed replies: " + KINDS.size() + " kinds");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ReplyFault.class)
    void aMalformedReplyOverTheSocketHitsOnlyItsRequestOrIsDiscardedAndCounted(ReplyFault fault) throws Exception {
        try (Run run = Run.overProxy(fault.kind)) {
            if (fault.watched) {
                run.watch();
            }
            Object outcome = run.probe(fault.probe, reply -> fault.fault.apply(run, reply));
            fault.outcome.check(outcome, fault.probe == XsMessageType.XS_TRANSACTION_START ? "TRANSACTION_START"
                    : fault.probe.name().substring(3) + " " + run.probePath);
            run.finish(fault.stream, fault.counts, outcome);
            if (fault.probe == XsMessageType.XS_WRITE) {
                assertEquals(WRITTEN, run.xs.read(run.probePath), "xenstored applied the write whose reply was mangled");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RingFault.class)
    void aMisbehavingServerOnDom0sRingFailsTheConnectionClearlyOrIsIgnored(RingFault fault) throws Exception {
        try (Run run = Run.overDom0Ring(fault.kind)) {
            Object outcome = run.poke(fault.frozen, fault.pokes, fault.stream);
            fault.outcome.check(outcome, "READ " + run.probePath);
            run.finish(fault.stream, Counts.NONE, outcome);
        }
    }

    /** One kind: the connection, its load, the statistics when the fault was armed, and the summary line. */
    private static final class Run implements AutoCloseable {
        final String kind;
        final String root;
        final String probePath;
        final String watchPath;
        final FakeXenHost server;
        final ReorderingProxy proxy;
        final XenstoreConnection xs;
        final Load load;
        private final ExecutorService prober = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "malformed-probe");
            t.setDaemon(true);
            return t;
        });
        /** The I/O threads of other connections, before this one was opened. */
        private final long threadsBefore;
        private final AtomicBoolean injected = new AtomicBoolean();
        private volatile IOException injectionFailure;
        private final List<WatchEvent> events = new CopyOnWriteArrayList<>();
        private RawWatch watch;
        private ConnectionStatistics before;
        private long operationsAtFault;

        private Run(String kind, long threadsBefore, FakeXenHost server, ReorderingProxy proxy,
                XenstoreConnection xs) {
            this.kind = kind;
            this.threadsBefore = threadsBefore;
            this.root = "/mal/k" + RUNS.incrementAndGet();
            this.probePath = root + "/probe";
            this.watchPath = root + "/watched";
            this.server = server;
            this.proxy = proxy;
            this.xs = xs;
            xs.write(probePath, PROBE_VALUE);
            this.load = new Load(xs, root, THREADS);
        }

        /** Through a new proxy in front of the class's xenstored. */
        static Run overProxy(String kind) throws IOException {
            long threads = TransportFailureTest.connectionThreads();
            ReorderingProxy proxy = ReorderingProxy.start(host);
            return new Run(kind, threads, host, proxy, Xenstore.open(proxy.uri(), OPTIONS));
        }

        /** Over dom0's ring of a xenstored of its own, which must advertise no feature. */
        static Run overDom0Ring(String kind) throws IOException {
            long threads = TransportFailureTest.connectionThreads();
            FakeXenHost own = FakeXenHost.start();
            try (SharedPage page = new FakeHost(own.dir()).mapRing(0)) {
                assertEquals(0, page.getIntVolatile(XenstoreRing.SERVER_FEATURES), "xenstored 4.17 advertises no feature");
            }
            return new Run(kind, threads, own, null, Xenstore.open(own.dom0RingUri(), OPTIONS));
        }

        /** Sets a watch on {@link #watchPath} and waits for its initial event. */
        void watch() throws InterruptedException {
            watch = xs.watch(watchPath, events::add);
            await(() -> events.size() == 1, "the initial event");
        }

        /**
         * Once the load runs, answers the first request of {@code type} (on {@link #probePath}, unless a
         * TRANSACTION_START) with what {@code fault} makes of xenstored's reply, and returns what that request
         * returned or threw.
         */
        Object probe(XsMessageType type, Function<XsMessage, List<XsMessage>> fault) throws Exception {
            byte[] path = Payloads.strings(probePath);
            AtomicLong probeId = new AtomicLong(-1);
            proxy.rewriteRequests(m -> {
                if (m.type() == type.code() && probeId.get() < 0 && (type == XsMessageType.XS_TRANSACTION_START
                        || startsWith(m.payload(), path))) {
                    probeId.set(Integer.toUnsignedLong(m.reqId()));
                }
                return m;
            });
            proxy.rewriteReplies(m -> m.type() != XsMessageType.XS_WATCH_EVENT.code()
                    && Integer.toUnsignedLong(m.reqId()) == probeId.get() && injected.compareAndSet(false, true)
                            ? fault.apply(m) : List.of(m));
            armed();
            Object outcome = bounded(() -> {
                switch (type) {
                    case XS_WRITE:
                        xs.write(probePath, WRITTEN);
                        return null;
                    case XS_READ:
                        return xs.read(probePath);
                    default:
                        return xs.beginTransaction();
                }
            });
            assertTrue(injected.get(), "the fault was injected");
            if (injectionFailure != null) {
                throw injectionFailure;
            }
            return outcome;
        }

        /** From a reply rewriter: sends {@code bytes} to the proxy's client in place of the reply. */
        List<XsMessage> injectInstead(byte[] bytes, boolean thenEnd) {
            try {
                assertEquals(1, proxy.injectRaw(bytes, thenEnd), "one client connected");
            } catch (IOException e) {
                injectionFailure = e; // a rewriter may not throw it
            }
            return List.of();
        }

        /**
         * Once the load runs, pokes the ring's fields in order (xenstored frozen meanwhile if {@code frozen});
         * then waits for every load thread to fail and reads {@link #probePath} ({@link Stream#FAILED}), or reads
         * it and lets the load go on past the fault with the fields still set; finally puts the fields back.
         * Returns the read's outcome.
         */
        Object poke(boolean frozen, List<Poke> pokes, Stream stream) throws Exception {
            armed();
            try (SharedPage page = new FakeHost(server.dir()).mapRing(0)) {
                int[] was = new int[pokes.size()];
                int[] set = new int[pokes.size()];
                int poked = 0;
                if (frozen) {
                    // xenstored puts a reply on the ring in two steps, header then payload: stopped between them,
                    // with the client past the header, the reply's end would come after the client failed, and the
                    // next client on the ring would start inside it. So nothing is in flight when it stops.
                    load.pause();
                    server.pause();
                }
                try {
                    if (frozen) {
                        awaitStopped(server.pid());
                    }
                    for (; poked < pokes.size(); poked++) {
                        Poke p = pokes.get(poked);
                        was[poked] = page.getIntVolatile(p.offset());
                        set[poked] = p.value().applyAsInt(page);
                        page.setIntVolatile(p.offset(), set[poked]);
                    }
                    load.resume();
                    if (stream == Stream.FAILED) {
                        // The client finds the fault when it next looks at the ring; meanwhile a request may still
                        // be answered by xenstored, which does not know about the poke.
                        load.awaitEnd();
                        return bounded(() -> xs.read(probePath));
                    }
                    Object outcome = bounded(() -> xs.read(probePath));
                    load.awaitOperations(operationsAtFault + OPERATIONS_AROUND_THE_FAULT);
                    for (int i = 0; i < pokes.size(); i++) {
                        assertEquals(set[i], page.getIntVolatile(pokes.get(i).offset()), "the field stayed set");
                    }
                    return outcome;
                } finally {
                    for (int i = poked - 1; i >= 0; i--) {
                        page.setIntVolatile(pokes.get(i).offset(), was[i]);
                    }
                    if (frozen) {
                        server.resume();
                    }
                }
            }
        }

        private void armed() throws InterruptedException {
            load.awaitOperations(OPERATIONS_AROUND_THE_FAULT);
            before = xs.statistics();
            operationsAtFault = load.operations.get();
        }

        /** Runs {@code call} on another thread: its value, or what it threw; fails if it does not end. */
        Object bounded(Callable<Object> call) throws InterruptedException {
            Future<Object> f = prober.submit(call);
            try {
                return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (TimeoutException e) {
                return fail(kind + ": the probe hung; " + xs.statistics());
            }
        }

        /** Waits until the counter moved by {@code delta} since the fault was armed, and checks it moved no more. */
        private void awaitDelta(String name, ToLongFunction<ConnectionStatistics> counter, long delta)
                throws InterruptedException {
            await(() -> counter.applyAsLong(xs.statistics()) - counter.applyAsLong(before) >= delta, name + " +" + delta);
            assertEquals(delta, counter.applyAsLong(xs.statistics()) - counter.applyAsLong(before), kind + ": " + name
                    + " moved by exactly " + delta + "; " + xs.statistics());
        }

        /**
         * Lets the load go on past the fault, stops it and checks: its failures are only those {@code stream}
         * allows; the connection was replaced exactly when {@code stream} says; the counters moved by exactly
         * {@code counts}; no fault was survived handling a message; a write and a read are served afterwards (on
         * a new connection if this one failed for good); a watch set still fires, and only with xenstored's own
         * events. Prints the kind's line.
         */
        void finish(Stream stream, Counts counts, Object outcome) throws Exception {
            if (stream != Stream.FAILED) {
                load.awaitOperations(operationsAtFault + OPERATIONS_AROUND_THE_FAULT);
            }
            load.stop();
            Map<String, Long> failures = load.failures();
            switch (stream) {
                case KEPT:
                    assertEquals(Map.of(), failures, kind + ": " + load.firstMessages);
                    break;
                case RESET:
                    assertTrue(Set.of(LOST).containsAll(failures.keySet()), kind + ": " + load.firstMessages);
                    assertTrue(failures.getOrDefault(LOST, 0L) <= THREADS, "at most one write in flight per thread");
                    break;
                default:
                    assertEquals(Map.of(FAILED, (long) THREADS), failures, kind + ": every thread's next request, "
                            + load.firstMessages);
                    break;
            }
            if (proxy != null) {
                assertEquals(stream == Stream.RESET ? 2 : 1, proxy.clientsAccepted(), kind + ": the connection was "
                        + (stream == Stream.RESET ? "replaced once" : "never replaced"));
            }
            awaitDelta("unknownReplies", ConnectionStatistics::unknownReplies, counts.unknownReplies());
            awaitDelta("unknownWatchEvents", ConnectionStatistics::unknownWatchEvents, counts.unknownWatchEvents());
            awaitDelta("logLinesWritten", ConnectionStatistics::logLinesWritten, counts.logLines());
            awaitDelta("ioFaults", ConnectionStatistics::ioFaults, 0);
            if (stream == Stream.FAILED) {
                assertInstanceOf(TransportFailureException.class, bounded(() -> xs.read(probePath)), "it stays failed");
                try (XenstoreConnection next = Xenstore.open(server.dom0RingUri(), OPTIONS)) {
                    writeAndRead(next);
                }
            } else {
                writeAndRead(xs);
            }
            if (watch != null) {
                xs.write(watchPath, "changed");
                await(() -> events.size() == 2, "the event of a real change");
                for (WatchEvent e : events) {
                    assertEquals(new WatchEvent(watchPath, watch.token()), e, "only xenstored's own events delivered");
                }
            }
            String line = String.format("malformed reply kind=\"%s\": outcome=%s; stream %s%s; counted %s; load: %d "
                    + "operations completed, failures %s", kind, describe(outcome), stream,
                    proxy == null ? "" : ", client connections " + proxy.clientsAccepted(), counts,
                    load.operations.get(), failures);
            System.out.println(line);
            KINDS.add(line);
        }

        private void writeAndRead(XenstoreConnection c) throws InterruptedException {
            assertEquals("ok", bounded(() -> {
                c.write(root + "/after", "ok");
                return c.read(root + "/after");
            }), kind + ": served afterwards");
        }

        private void await(BooleanSupplier condition, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() - deadline > 0) {
                    fail(kind + ": waited in vain for " + what + "; " + xs.statistics());
                }
                Thread.sleep(2);
            }
        }

        /** Closes everything; fails if the connection's I/O thread is left behind. */
        @Override
        public void close() throws IOException {
            load.close();
            prober.shutdownNow();
            if (watch != null) {
                watch.close();
            }
            xs.close();
            if (proxy != null) {
                proxy.close();
            }
            if (server != host) {
                server.close();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (TransportFailureTest.connectionThreads() > threadsBefore && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            assertEquals(threadsBefore, TransportFailureTest.connectionThreads(), kind + ": no I/O thread left behind");
        }
    }

    /**
     * 16 threads, each writing its own key and reading it back; a read must give the last value written, or
     * one whose write had an unknown outcome. Failures are counted by type; a thread ends at a
     * {@link TransportFailureException} (the connection is gone).
     */
    private static final class Load implements AutoCloseable {
        private final XenstoreConnection xs;
        private final ExecutorService pool;
        private final List<Future<?>> workers = new ArrayList<>();
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final AtomicInteger ended = new AtomicInteger();
        private final AtomicInteger waiting = new AtomicInteger();
        private volatile boolean paused;
        final AtomicLong operations = new AtomicLong();
        private final Map<String, AtomicLong> failures = new ConcurrentSkipListMap<>();
        final Map<String, String> firstMessages = new ConcurrentHashMap<>();

        Load(XenstoreConnection xs, String root, int threads) {
            this.xs = xs;
            this.pool = Executors.newFixedThreadPool(threads);
            for (int t = 0; t < threads; t++) {
                String key = root + "/t" + t;
                String prefix = t + "-";
                workers.add(pool.submit(() -> {
                    try {
                        run(key, prefix);
                    } finally {
                        ended.incrementAndGet();
                    }
                }));
            }
        }

        private void run(String key, String prefix) {
            String known = null;
            Set<String> uncertain = new HashSet<>();
            for (int i = 0; !stopping.get(); i++) {
                if (paused && !waitWhilePaused()) {
                    return;
                }
                String value = prefix + i;
                try {
                    xs.write(key, value);
                    known = value;
                    uncertain.clear();
                    operations.incrementAndGet();
                } catch (OutcomeUnknownException e) {
                    uncertain.add(value);
                    failed(e);
                } catch (XenstoreException e) {
                    if (failed(e)) {
                        return;
                    }
                }
                try {
                    String got;
                    try {
                        got = xs.read(key);
                    } catch (NoSuchNodeException e) {
                        got = null;
                    }
                    if (Objects.equals(got, known) || uncertain.contains(got)) {
                        known = got;
                        uncertain.clear();
                        operations.incrementAndGet();
                    } else {
                        failed("wrong value", key + " read " + got + ", written " + known + " or one of " + uncertain);
                    }
                } catch (XenstoreException e) {
                    if (failed(e)) {
                        return;
                    }
                }
            }
        }

        /** Between two operations: waits while paused; false if interrupted (closing). */
        private boolean waitWhilePaused() {
            waiting.incrementAndGet();
            try {
                synchronized (this) {
                    while (paused && !stopping.get()) {
                        wait();
                    }
                }
                return true;
            } catch (InterruptedException e) {
                return false;
            } finally {
                waiting.decrementAndGet();
            }
        }

        /** Holds every thread between two operations, so none has a request in flight; returns once they wait. */
        void pause() throws InterruptedException {
            paused = true;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (waiting.get() + ended.get() < workers.size()) {
                if (System.nanoTime() - deadline > 0) {
                    fail("the load did not pause: " + waiting + " waiting, " + ended + " ended; " + xs.statistics());
                }
                Thread.sleep(1);
            }
        }

        /** Lets the threads go on after {@link #pause}; a no-op if not paused. */
        synchronized void resume() {
            paused = false;
            notifyAll();
        }

        /** Counts {@code e}; whether the thread should end (the connection failed for good). */
        private boolean failed(XenstoreException e) {
            String type = e.getClass().getSimpleName()
                    + (e instanceof OutcomeUnknownException ? "(" + ((OutcomeUnknownException) e).reason() + ")" : "");
            failed(type, e.getMessage());
            return e instanceof TransportFailureException;
        }

        private void failed(String type, String message) {
            failures.computeIfAbsent(type, k -> new AtomicLong()).incrementAndGet();
            firstMessages.putIfAbsent(type, message);
        }

        Map<String, Long> failures() {
            Map<String, Long> out = new ConcurrentSkipListMap<>();
            failures.forEach((k, v) -> out.put(k, v.get()));
            return out;
        }

        void awaitOperations(long n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (operations.get() < n) {
                if (System.nanoTime() - deadline > 0 || ended.get() > 0) {
                    fail("the load did not reach " + n + " operations: " + operations + ", failures " + failures()
                            + " " + firstMessages + "; " + xs.statistics());
                }
                Thread.sleep(2);
            }
        }

        /** Waits until every thread ended on its own (each met a failed connection). */
        void awaitEnd() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (ended.get() < workers.size()) {
                if (System.nanoTime() - deadline > 0) {
                    fail("load threads still running: " + (workers.size() - ended.get()) + "; " + xs.statistics());
                }
                Thread.sleep(2);
            }
        }

        /** Stops the threads; fails if one does not end within the bound (a hung call). */
        void stop() throws Exception {
            stopping.set(true);
            resume();
            for (Future<?> f : workers) {
                try {
                    f.get(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    fail("a load thread hung; " + xs.statistics());
                }
            }
        }

        @Override
        public void close() {
            stopping.set(true);
            pool.shutdownNow();
        }
    }

    /** Waits until process {@code pid} is stopped (state T): SIGSTOP is delivered asynchronously. */
    private static void awaitStopped(long pid) throws IOException, InterruptedException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            String text = Files.readString(stat);
            if (text.charAt(text.lastIndexOf(')') + 2) == 'T') {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("xenstored " + pid + " did not stop: " + text);
            }
            Thread.sleep(1);
        }
    }

    private static byte[] header(int type, int reqId, int txId, int length) {
        return ByteBuffer.allocate(XsWire.HEADER_SIZE).order(XsWire.BYTE_ORDER).putInt(type).putInt(reqId)
                .putInt(txId).putInt(length).array();
    }

    private static boolean startsWith(byte[] payload, byte[] prefix) {
        return payload.length >= prefix.length && Arrays.equals(payload, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static void assertMentions(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "\"" + part + "\" in: " + e.getMessage());
        }
    }

    private static String describe(Object outcome) {
        if (outcome instanceof Throwable) {
            Throwable t = (Throwable) outcome;
            return t.getClass().getSimpleName() + "(\"" + t.getMessage() + "\")";
        }
        return "returned " + (outcome == null ? "nothing" : "\"" + outcome + "\"");
    }
}
