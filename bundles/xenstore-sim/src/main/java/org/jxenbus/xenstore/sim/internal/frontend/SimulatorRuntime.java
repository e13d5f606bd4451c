package org.jxenbus.xenstore.sim.internal.frontend;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jxenbus.transport.ring.server.DomainRings;
import org.jxenbus.xenstore.sim.Profile;
import org.jxenbus.xenstore.sim.SimulatorOptions;
import org.jxenbus.xenstore.sim.internal.engine.Connection;
import org.jxenbus.xenstore.sim.internal.engine.Engine;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportInfo;
import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * One running simulator: its engine, its hypervisor, and where it serves (in-JVM transports, sockets,
 * rings). Registered by name for {@code sim:NAME} URIs until closed. Thread-safe.
 */
public final class SimulatorRuntime implements AutoCloseable {

    private static final Map<String, SimulatorRuntime> BY_NAME = new ConcurrentHashMap<>();
    private static final AtomicInteger UNNAMED = new AtomicInteger();
    /** In-flight window of a privileged in-JVM connection. */
    private static final int SOCKET_IN_FLIGHT = 64;
    /** In-flight window of a domain's connection: below the default outstanding quota of 20. */
    private static final int DOMAIN_IN_FLIGHT = 16;

    private final String name;
    private final SimulatorOptions options;
    private final SimHypervisor hypervisor = new SimHypervisor();
    private final Engine engine;
    private final List<AutoCloseable> endpoints = new ArrayList<>();
    private ScheduledExecutorService domainWatcher;
    private volatile boolean closed;

    private SimulatorRuntime(String name, SimulatorOptions options) {
        this.name = name;
        this.options = options;
        this.engine = new Engine(options.profile(), options.quotas(), hypervisor);
    }

    /**
     * Starts a simulator registered as {@code options.name()} (a generated name if null).
     *
     * @throws IllegalStateException if a running simulator has that name
     */
    public static SimulatorRuntime start(SimulatorOptions options) {
        String name = options.name() != null ? options.name() : "sim-" + UNNAMED.incrementAndGet();
        SimulatorRuntime r = new SimulatorRuntime(name, options);
        if (BY_NAME.putIfAbsent(name, r) != null) {
            r.engine.close();
            throw new IllegalStateException("a simulator named \"" + name + "\" is already running");
        }
        return r;
    }

    /** The simulator named {@code name}, started with default options if none runs. */
    public static SimulatorRuntime shared(String name) {
        return BY_NAME.computeIfAbsent(name, n -> new SimulatorRuntime(n, SimulatorOptions.defaults().withName(n)));
    }

    /** Closes every running simulator (the bundle is stopping). */
    public static void closeAll() {
        for (SimulatorRuntime r : List.copyOf(BY_NAME.values())) {
            r.close();
        }
    }

    /** The simulator named {@code name}, or null. */
    public static SimulatorRuntime find(String name) {
        return BY_NAME.get(name);
    }

    public String name() {
        return name;
    }

    public SimulatorOptions options() {
        return options;
    }

    public Engine engine() {
        return engine;
    }

    /** {@code sim:NAME}, or domain {@code domid}'s {@code sim:NAME?domid=N}. */
    public URI uri(Integer domid) {
        return URI.create(new SimUri(name, domid == null ? 0 : domid, domid != null).text());
    }

    /** A transport for {@code uri} (its name is this simulator's). */
    Transport open(SimUri uri) throws IOException {
        if (closed) {
            throw new IOException("the simulator " + name + " is closed");
        }
        try {
            if (uri.domain()) {
                return SimTransport.ofDomain(engine, new TransportInfo(uri.text(), XsWire.XENSTORE_PAYLOAD_MAX,
                        DOMAIN_IN_FLIGHT, true), uri.domid());
            }
            return SimTransport.socketLike(engine,
                    new TransportInfo(uri.text(), XsWire.XENSTORE_PAYLOAD_MAX, SOCKET_IN_FLIGHT, false));
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Serves a unix socket at {@code path} (0600) until the returned handle or the simulator is closed. */
    public AutoCloseable serveSocket(Path path) throws IOException {
        SocketServer s = new SocketServer(path, engine);
        register(s);
        return s;
    }

    /**
     * Serves the rings of fake-hypervisor folder {@code dir}: domains introduced from now on are served on
     * {@code D/dom<N>.ring}; with {@code dom0}, dom0's ring too (made if missing, with {@code D/xsd_port}).
     *
     * @throws IllegalStateException if this simulator already serves rings
     */
    public synchronized AutoCloseable serveRings(Path dir, boolean dom0) throws IOException {
        refuseSecondRingHost();
        RingHost host = RingHost.onFolder(dir, engine, options.profile());
        try {
            if (dom0) {
                // as xenstored maps /proc/xen/xsd_kva: an existing dom0 ring is served as it is (a client may
                // have mapped it already); a folder without one gets a fresh one
                Path ring = host.dir().resolve("dom0.ring");
                if (!Files.exists(ring) || Files.size(ring) < 4096 || !Files.exists(host.dir().resolve("dom0.evtchn"))) {
                    host.createDomain(0);
                }
                if (!Files.exists(host.dir().resolve("xsd_port"))) {
                    Files.writeString(host.dir().resolve("xsd_port"), "1\n");
                }
                attachDom0(host, 1);
            }
        } catch (IOException | RuntimeException e) {
            host.close();
            throw e;
        }
        return adopt(host);
    }

    /**
     * Takes xenstored's place for dom0 on the rings {@code rings} maps (on a real Xen host: the Xen devices,
     * dom0's ring being {@code /proc/xen/xsd_kva}): serves dom0's ring, its kernel notifying on
     * {@code port} ({@code /proc/xen/xsd_port}), and kicks that port once, as xenstored's {@code dom0_init}
     * does: dom0's kernel waits for that first event before it probes xenbus. Takes ownership of
     * {@code rings}.
     *
     * @throws IllegalStateException if this simulator already serves rings
     * @throws IOException if dom0's ring cannot be mapped or its port bound
     */
    public synchronized AutoCloseable serveDom0(DomainRings rings, int port) throws IOException {
        try {
            refuseSecondRingHost();
        } catch (IllegalStateException e) {
            rings.close();
            throw e;
        }
        RingHost host = RingHost.on(rings, engine, options.profile());
        try {
            RingFrontend f = attachDom0(host, port);
            host.kick(f.servedRing());
        } catch (IOException | RuntimeException e) {
            host.close();
            throw e;
        }
        return adopt(host);
    }

    /**
     * Serves a ring a client offered, grant {@code gref} of domain {@code domid} kicked on {@code port}, as a
     * socket-like connection of its own, until the returned handle or the simulator is closed.
     *
     * @throws IllegalStateException if this simulator serves no rings
     * @throws IOException if the grant cannot be mapped or the port bound
     */
    public AutoCloseable serveGrant(int domid, int gref, int port) throws IOException {
        RingHost host = hypervisor.rings();
        if (host == null) {
            throw new IllegalStateException("the simulator " + name + " serves no rings");
        }
        RingFrontend f = host.serveGrant(domid, gref, port);
        return f::detach;
    }

    private void refuseSecondRingHost() {
        RingHost serving = hypervisor.rings();
        if (serving != null) {
            throw new IllegalStateException("the simulator " + name + " already serves rings ("
                    + (serving.dir() != null ? serving.dir() : "dom0's") + ")");
        }
    }

    /** Dom0's connection served on its ring, whose client notifies on {@code port}. */
    private RingFrontend attachDom0(RingHost host, int port) throws IOException {
        Connection c = engine.dom0Connection();
        try {
            RingFrontend f = host.attach(0, port, c);
            engine.attachRing(c, f);
            return f;
        } catch (org.jxenbus.xenstore.sim.internal.engine.Hypervisor.XsErrorException e) {
            throw new IOException("cannot serve dom0's ring on " + host + ": " + e.getMessage(), e);
        }
    }

    /** Makes {@code host} this simulator's rings until the returned handle or the simulator is closed. */
    private AutoCloseable adopt(RingHost host) {
        hypervisor.rings(host);
        register(host);
        domainWatcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "xenstored-sim-domains-" + name);
            t.setDaemon(true);
            return t;
        });
        domainWatcher.scheduleWithFixedDelay(host::checkDomains, 1, 1, TimeUnit.SECONDS);
        return () -> {
            hypervisor.rings(null);
            host.close();
        };
    }

    /** The hypervisor knows domain {@code domid} from now on. */
    public void createDomain(int domid) throws IOException {
        RingHost host = hypervisor.rings();
        if (host != null && host.dir() != null) {
            host.createDomain(domid);
        } else {
            hypervisor.create(domid);
        }
    }

    /** INTRODUCE of domain {@code domid}, as dom0's toolstack would; false if it already was. */
    public boolean introduceDomain(int domid, int port) {
        return engine.introduceDomain(domid, port);
    }

    /** The domain died: destroyed as xenstored does ({@code @releaseDomain}), and unknown to the hypervisor. */
    public void destroyDomain(int domid) throws IOException {
        hypervisor.destroy(domid);
        RingHost host = hypervisor.rings();
        if (host != null && host.dir() != null) {
            Files.deleteIfExists(host.dir().resolve("dom" + domid + ".ring"));
        }
        engine.destroyDomain(domid);
    }

    public Profile profile() {
        return options.profile();
    }

    private synchronized void register(AutoCloseable endpoint) {
        endpoints.add(endpoint);
    }

    /** Stops serving everywhere and stops the engine; in-JVM clients see their connection closed. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        BY_NAME.remove(name, this);
        if (domainWatcher != null) {
            domainWatcher.shutdownNow();
            try {
                domainWatcher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<AutoCloseable> all;
        synchronized (this) {
            all = new ArrayList<>(endpoints);
        }
        for (AutoCloseable e : all) {
            try {
                e.close();
            } catch (Exception ignored) {
                // closing everything: one failure does not stop the rest
            }
        }
        engine.closeAllConnections();
        engine.close();
    }
}
