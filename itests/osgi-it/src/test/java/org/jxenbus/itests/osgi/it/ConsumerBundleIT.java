package org.jxenbus.itests.osgi.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.jxenbus.testsupport.ReorderingProxy;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.watch.Watch;
import org.jxenbus.xenstore.api.watch.WatchService;
import org.jxenbus.xenstore.spi.wire.XsMessage;
import org.jxenbus.xenstore.spi.wire.XsMessageType;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * An ordinary consumer bundle (this module's own jar, {@code org.jxenbus.itests.consumer}, whose imports bnd
 * computed from its code) in Felix with our bundles, against the real xenstored: it sees the API and nothing
 * else, uses XenstoreService and WatchService, and what it leaves open when it stops is cleaned up for it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ConsumerBundleIT extends FelixContainer {

    private static final Set<String> API = Set.of("org.jxenbus.xenstore.api", "org.jxenbus.xenstore.api.watch");

    /** Classes of every implementation layer the consumer must not be able to load. */
    private static final List<String> IMPLEMENTATION = List.of(
            "org.jxenbus.xenstore.core.internal.osgi.XenstoreRuntime",
            "org.jxenbus.xenstore.core.internal.osgi.BundleXenstoreService",
            "org.jxenbus.xenstore.core.internal.ScopedXenstore",
            "org.jxenbus.xenstore.core.internal.Multiplexer",
            "org.jxenbus.xenstore.watch.internal.osgi.SharedWatches",
            "org.jxenbus.xenstore.watch.internal.SharedWatchService",
            "org.jxenbus.transport.socket.internal.SocketTransportProvider",
            "org.jxenbus.transport.ring.internal.RingTransportProvider",
            "org.jxenbus.transport.xenbus.internal.XenbusTransportProvider",
            "org.jxenbus.xenstore.spi.transport.TransportProvider");

    @Test
    public void anOrdinaryConsumerSeesOnlyTheApiAndUsesXenstoreAndWatchServices() throws Exception {
        configureStore(Map.of("uri", property(SOCKET)));
        XenstoreService xs = awaitService(XenstoreService.class);
        Bundle consumer = startConsumer(xs);
        String base = "/it/consumer/" + consumer.getBundleId();
        awaitValue(xs, base + "/ready", null);
        for (String ping : List.of("42", "43", "a value with spaces")) {
            xs.write(base + "/ping", ping);
            assertEquals("the consumer's WatchService listener echoed " + ping, ping,
                    awaitValue(xs, base + "/pong", ping));
        }

        BundleWiring wiring = consumer.adapt(BundleWiring.class);
        Map<String, String> providers = new TreeMap<>();
        for (BundleWire w : wiring.getRequiredWires("osgi.wiring.package")) {
            providers.put((String) w.getCapability().getAttributes().get("osgi.wiring.package"),
                    w.getProvider().getBundle().getSymbolicName());
        }
        Set<String> ours = providers.keySet().stream().filter(p -> p.startsWith("org.jxenbus."))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals("the consumer imports the API packages and no other of ours: " + providers, API, ours);
        for (String api : API) {
            assertEquals(api + " comes from the API bundle", "org.jxenbus.xenstore.api", providers.get(api));
        }
        for (Map.Entry<String, String> e : providers.entrySet()) {
            assertTrue("besides the API, only the framework's own packages: " + e,
                    API.contains(e.getKey()) || (e.getKey().startsWith("org.osgi.")
                            && e.getValue().equals(context().getBundle(0).getSymbolicName())));
        }
        for (String impl : IMPLEMENTATION) {
            try {
                consumer.loadClass(impl);
                fail("the consumer bundle can load " + impl);
            } catch (ClassNotFoundException expected) {
                // not exported, so not visible: what a consumer gets is only ever seen through the API
            }
        }
        assertEquals("the consumer got an implementation object it cannot name",
                "org.jxenbus.xenstore.core.internal.osgi.BundleXenstoreService",
                consumer.getBundleContext().getService(consumer.getBundleContext()
                        .getServiceReference(XenstoreService.class)).getClass().getName());
        assertNotSame("bundle scope: the consumer's service object is not the probe's", xs,
                consumer.getBundleContext().getService(consumer.getBundleContext()
                        .getServiceReference(XenstoreService.class)));

        for (Bundle b : context().getBundles()) {
            String bsn = b.getSymbolicName();
            if (!bsn.startsWith("org.jxenbus.")) {
                continue;
            }
            List<String> exported = exports(b);
            for (String p : exported) {
                assertFalse(bsn + " exports an implementation package " + p, p.contains(".internal"));
            }
            if (bsn.equals("org.jxenbus.xenstore.core") || bsn.equals("org.jxenbus.xenstore.watch")
                    || bsn.equals("org.jxenbus.transport.socket") || bsn.equals("org.jxenbus.transport.xenbus")) {
                assertEquals(bsn + " exports nothing", List.of(), exported);
            }
        }
        assertEquals("the ring bundle exports only its server end", List.of("org.jxenbus.transport.ring.server"),
                exports(installed("org.jxenbus.transport.ring")));
    }

    /**
     * Through a proxy that records every message: a consumer bundle holding an open transaction, a raw watch and
     * WatchService listeners is stopped. Its transaction is aborted (TRANSACTION_END F on the wire; what it
     * wrote never becomes visible), its raw watch is removed (UNWATCH with its token; xenstored sends no event
     * for that token afterwards), the server watch only it needed goes too, while the probe's raw watch and
     * WatchService listener on the same path keep firing.
     */
    @Test
    public void aStoppedConsumersTransactionIsAbortedAndItsWatchesRemovedWhileAnotherBundlesGoOn()
            throws Exception {
        Path hostDir = Path.of(property(HOST_DIR));
        try (ReorderingProxy proxy = ReorderingProxy.start(hostDir.resolve("socket"),
                hostDir.resolve("consumer-proxy.socket"))) {
            configureStore(Map.of("uri", proxy.uri().toString()));
            XenstoreService xs = awaitService(XenstoreService.class);
            WatchService watches = awaitService(WatchService.class);
            String shared = org.jxenbus.itests.consumer.ConsumerActivator.SHARED;
            Set<String> rawSeen = ConcurrentHashMap.newKeySet();
            Set<String> listenerSeen = ConcurrentHashMap.newKeySet();
            xs.mkdir(shared);
            RawWatch probeRaw = xs.watch(shared, e -> rawSeen.add(e.path()));
            Watch probeListener = watches.watch(shared, listenerSeen::add);
            try {
                Bundle consumer = startConsumer(xs);
                String base = "/it/consumer/" + consumer.getBundleId();
                String ready = awaitValue(xs, base + "/ready", null);
                long tx = Long.parseLong(field(ready, "transaction"));
                String token = field(ready, "token");
                assertFalse("the consumer's uncommitted write is not visible outside its transaction",
                        xs.exists(base + "/uncommitted"));
                assertEquals("the consumer's raw watch was set once: " + ready + " " + watchRequests(proxy), 1,
                        count(proxy, XsMessageType.XS_WATCH, shared, token));
                String pingToken = serverWatchToken(proxy, base + "/ping");
                xs.write(shared + "/before", "1");
                await("the probe's watches fired before the stop", WAIT_MILLIS,
                        () -> rawSeen.contains(shared + "/before") && listenerSeen.contains(shared + "/before"));

                consumer.stop();

                assertEquals("the consumer's open transaction was aborted (TRANSACTION_END F)", 1,
                        proxy.requests().stream().filter(m -> m.type() == XsMessageType.XS_TRANSACTION_END.code()
                                && m.txId() == (int) tx && text(m).equals("F")).count());
                assertFalse("what the consumer wrote inside its transaction never became visible",
                        xs.exists(base + "/uncommitted"));
                assertEquals("the consumer's raw watch was removed (UNWATCH with its token)", 1,
                        count(proxy, XsMessageType.XS_UNWATCH, shared, token));
                assertEquals("the server watch only the consumer's listener needed was removed", 1,
                        count(proxy, XsMessageType.XS_UNWATCH, base + "/ping", pingToken));
                assertEquals("the probe's raw watch and the shared server watch of its listener stay", 1,
                        proxy.requests().stream().filter(m -> m.type() == XsMessageType.XS_UNWATCH.code()
                                && fields(m).get(0).equals(shared)).count());
                int repliesAtStop = proxy.replies().size();

                xs.write(shared + "/after", "1");
                await("the probe's raw watch and listener still fire after the consumer stopped", WAIT_MILLIS,
                        () -> rawSeen.contains(shared + "/after") && listenerSeen.contains(shared + "/after"));
                List<XsMessage> later = proxy.replies().subList(repliesAtStop, proxy.replies().size());
                assertTrue("xenstored fired the probe's watches after the stop", later.stream()
                        .anyMatch(m -> m.type() == XsMessageType.XS_WATCH_EVENT.code()
                                && fields(m).get(0).equals(shared + "/after")));
                assertEquals("xenstored sends no event for the consumer's token after its UNWATCH", 0,
                        later.stream().filter(m -> m.type() == XsMessageType.XS_WATCH_EVENT.code()
                                && fields(m).get(1).equals(token)).count());
            } finally {
                probeListener.close();
                probeRaw.close();
            }
        }
    }

    /**
     * Installs and starts the consumer bundle. Each test method has a new framework but the class's xenstored
     * stays, and the consumer gets the same bundle id in each: what an earlier one wrote is removed first.
     */
    private Bundle startConsumer(XenstoreService xs) throws Exception {
        xs.mkdir("/it/consumer");
        xs.rm("/it/consumer");
        Bundle consumer = context().installBundle(Path.of(property(CONSUMER_BUNDLE)).toUri().toString());
        consumer.start();
        return consumer;
    }

    private static List<String> exports(Bundle b) {
        BundleWiring wiring = b.adapt(BundleWiring.class);
        List<String> exported = new ArrayList<>();
        if (wiring != null) {
            wiring.getCapabilities("osgi.wiring.package")
                    .forEach(c -> exported.add((String) c.getAttributes().get("osgi.wiring.package")));
        }
        exported.sort(null);
        return exported;
    }

    /** {@code name=value} from a space-separated line. */
    private static String field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + line);
    }

    /** The token of the one server watch set on {@code path} (the watch service's own). */
    private static String serverWatchToken(ReorderingProxy proxy, String path) {
        List<String> tokens = proxy.requests().stream()
                .filter(m -> m.type() == XsMessageType.XS_WATCH.code() && fields(m).get(0).equals(path))
                .map(m -> fields(m).get(1)).toList();
        assertEquals("one server watch on " + path + ": " + tokens, 1, tokens.size());
        return tokens.get(0);
    }

    private static List<String> watchRequests(ReorderingProxy proxy) {
        return proxy.requests().stream().filter(m -> m.type() == XsMessageType.XS_WATCH.code()
                || m.type() == XsMessageType.XS_UNWATCH.code()).map(m -> m.type() + ":" + fields(m)).toList();
    }

    private static long count(ReorderingProxy proxy, XsMessageType type, String path, String token) {
        return proxy.requests().stream().filter(m -> m.type() == type.code() && fields(m).get(0).equals(path)
                && fields(m).get(1).equals(token)).count();
    }

    /** The NUL-separated strings of a message's payload. */
    private static List<String> fields(XsMessage m) {
        List<String> out = new ArrayList<>(List.of(new String(m.payload(), StandardCharsets.UTF_8).split("\0", -1)));
        while (out.size() < 2) {
            out.add("");
        }
        return out;
    }

    private static String text(XsMessage m) {
        return fields(m).get(0);
    }
}
