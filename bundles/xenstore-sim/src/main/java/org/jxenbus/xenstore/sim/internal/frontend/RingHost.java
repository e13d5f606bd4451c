package org.jxenbus.xenstore.sim.internal.frontend;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jxenbus.transport.ring.server.DomainRings;
import org.jxenbus.transport.ring.server.FakeDomainRings;
import org.jxenbus.transport.ring.server.RingRequestHandler;
import org.jxenbus.transport.ring.server.RingServer;
import org.jxenbus.transport.ring.server.ServedRing;
import org.jxenbus.xenstore.sim.Profile;
import org.jxenbus.xenstore.sim.internal.engine.Connection;
import org.jxenbus.xenstore.sim.internal.engine.Engine;
import org.jxenbus.xenstore.sim.internal.engine.Hypervisor;
import org.jxenbus.xenstore.spi.ring.EventChannels;
import org.jxenbus.xenstore.spi.ring.SharedPage;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.jxenbus.xenstore.spi.wire.XsMessage;

/**
 * The simulator serving rings in xenstored's place: one {@link RingServer} thread for every domain's ring.
 * On a fake-hypervisor folder (shared/FAKE-HYPERVISOR.md) {@code D/dom<N>.ring} is mapped when domain N is
 * introduced and domain N exists while that file does; on a real Xen host ({@link DomainRings} of the Xen
 * devices) only dom0 is known, its ring being {@code /proc/xen/xsd_kva}. The ring side is a trust boundary:
 * the server checks indices and message sizes, and a ring that breaks the rules loses its own connection
 * only. Thread-safe.
 */
final class RingHost implements RingRequestHandler, AutoCloseable {

    private static final Logger LOG = System.getLogger(RingHost.class.getName());

    /** The fake-hypervisor folder, or null on a real Xen host. */
    private final Path dir;
    private final Engine engine;
    private final Profile profile;
    /** The folder's rings, or null on a real Xen host. */
    private final FakeDomainRings fake;
    private final Pages pages;
    private final RingServer server;
    private final Map<Integer, RingFrontend> byDomain = new ConcurrentHashMap<>();
    /** Rings clients offered ({@link #serveGrant}), each its own socket-like connection. */
    private final Map<ServedRing, RingFrontend> byRing = new ConcurrentHashMap<>();
    /** The offered ring being set up, until its server handle is known. */
    private volatile RingFrontend settingUp;

    private RingHost(Path dir, FakeDomainRings fake, DomainRings rings, Engine engine, Profile profile) {
        this.dir = dir;
        this.fake = fake;
        this.engine = engine;
        this.profile = profile;
        this.pages = new Pages(rings, profile);
        this.server = new RingServer(pages, this, true);
    }

    /** Serves the rings of fake-hypervisor folder {@code dir} (made if missing). */
    static RingHost onFolder(Path dir, Engine engine, Profile profile) throws IOException {
        Path d = dir.toAbsolutePath();
        Files.createDirectories(d);
        FakeDomainRings fake = FakeDomainRings.open(d);
        return new RingHost(d, fake, fake, engine, profile);
    }

    /**
     * Serves the rings {@code rings} maps (the Xen devices), where the simulator cannot ask the hypervisor
     * which domains exist: only dom0 is known.
     */
    static RingHost on(DomainRings rings, Engine engine, Profile profile) {
        return new RingHost(null, null, rings, engine, profile);
    }

    /** The fake-hypervisor folder, or null on a real Xen host. */
    Path dir() {
        return dir;
    }

    /**
     * Domain N exists while {@code D/dom<N>.ring} does (the shim's {@code xc_domain_getinfo}); on a real
     * host only dom0 is known.
     */
    boolean domainExists(int domid) {
        return fake == null ? domid == 0 : Files.exists(ringFile(domid));
    }

    private Path ringFile(int domid) {
        return dir.resolve("dom" + Integer.toUnsignedString(domid) + ".ring");
    }

    /** Makes domain {@code domid} exist here: a zeroed ring file and its FIFO. */
    void createDomain(int domid) throws IOException {
        if (fake == null) {
            throw new IOException("on " + pages.describe() + " the hypervisor makes domains, not the simulator");
        }
        fake.createDomain(domid);
    }

    /** INTRODUCE: starts serving the domain's ring for {@code conn}. */
    RingFrontend attach(int domid, int port, Connection conn) throws Hypervisor.XsErrorException {
        RingFrontend f = new RingFrontend(this, conn, domid);
        byDomain.put(domid, f);
        try {
            serve(f, port);
        } catch (NoSuchFileException e) {
            byDomain.remove(domid, f);
            throw new Hypervisor.XsErrorException("ENOENT", "no ring file for domain " + domid);
        } catch (IOException | RuntimeException e) {
            byDomain.remove(domid, f);
            throw new Hypervisor.XsErrorException("EINVAL", "cannot serve domain " + domid + "'s ring: " + e);
        }
        conn.frontendAttach(f);
        return f;
    }

    private void serve(RingFrontend f, int port) throws IOException {
        ServedPage page = pages.next(f.domid());
        page.start();
        try {
            ServedRing ring = server.serve(f.domid(), port);
            f.served(ring, page);
            connectWaitingGuest(page, ring);
        } finally {
            pages.clear(f.domid());
        }
    }

    /**
     * Serves a ring a client offered ({@code ring:gntalloc?server=D}): grant {@code gref} of domain
     * {@code domid}, its client notifying on {@code port}, as a connection of its own. The client is a
     * process of dom0 or of a guest that chose a ring over the socket or its kernel's xenbus; the connection
     * is socket-like (privileged, absolute paths), as the dom0 processes offering such rings are.
     *
     * @throws IOException if the grant cannot be mapped or the port bound
     */
    synchronized RingFrontend serveGrant(int domid, int gref, int port) throws IOException {
        RingFrontend f = new RingFrontend(this, domid);
        f.connection(engine.openSocket(f));
        ServedPage page = pages.nextGrant(domid, gref);
        settingUp = f;
        try {
            page.start();
            ServedRing ring = server.serveGrant(domid, gref, port);
            byRing.put(ring, f);
            f.served(ring, page);
        } catch (IOException | RuntimeException e) {
            engine.closeSocket(f.connection());
            throw e;
        } finally {
            settingUp = null;
            pages.clearGrant(domid, gref);
        }
        return f;
    }

    /** The frontend of a served ring, or null if none serves it any more. */
    private RingFrontend frontendOf(ServedRing ring) {
        RingFrontend f = byRing.get(ring);
        if (f == null) {
            RingFrontend s = settingUp;
            f = s != null && s.domid() == ring.domid() && s.servedRing() == null ? s : byDomain.get(ring.domid());
        }
        return f != null && f.serves(ring) ? f : null;
    }

    /**
     * As INTRODUCE in xenstored: a guest that found {@code connection = RECONNECT} at boot (dom0less) and
     * waits for xenstored is told it is connected.
     */
    private void connectWaitingGuest(ServedPage page, ServedRing ring) throws IOException {
        SharedPage raw = page.raw();
        if (raw.getIntVolatile(XenstoreRing.CONNECTION) == XenstoreRing.RECONNECT && !profile.reconnection()) {
            raw.setIntVolatile(XenstoreRing.CONNECTION, XenstoreRing.CONNECTED);
            pages.eventChannels().notify(ring.port());
        }
    }

    /**
     * INTRODUCE of an introduced domain: the ring server resets the ring (indices zeroed, partial and queued
     * messages dropped) on its own thread, as for a reconnection the engine already accounted for.
     */
    void restart(RingFrontend f) {
        f.resetPending();
    }

    void stop(RingFrontend f) {
        byDomain.remove(f.domid(), f);
        ServedRing r = f.servedRing();
        if (r != null) {
            if (byRing.remove(r, f)) {
                engine.closeSocket(f.connection());
            }
            server.stopServing(r);
        }
    }

    /** Kicks a ring's client (it may wait for room in its request ring). */
    void kick(ServedRing ring) {
        try {
            pages.eventChannels().notify(ring.port());
        } catch (IOException e) {
            // the client finds the room when it next looks
        }
    }

    void wakeServer() {
        pages.eventChannels().wakeup();
    }

    @Override
    public void request(ServedRing ring, XsMessage request) {
        RingFrontend f = frontendOf(ring);
        if (f != null) {
            f.request(request);
        }
    }

    @Override
    public void reset(ServedRing ring) {
        RingFrontend f = frontendOf(ring);
        if (f != null) {
            if (!f.takeResetPending()) {
                engine.ringReconnected(f.connection());
            }
            f.reset();
        }
    }

    @Override
    public void failed(ServedRing ring, String why) {
        RingFrontend f = frontendOf(ring);
        if (f != null) {
            LOG.log(Level.WARNING, f + " broke the protocol and is no longer read: " + why);
            engine.ringFailed(f.connection());
        }
    }

    /** Domains whose ring file is gone while they are still introduced: the hypervisor says they died. */
    void checkDomains() {
        if (fake == null) {
            return;
        }
        for (RingFrontend f : byDomain.values()) {
            if (f.domid() != 0 && !domainExists(f.domid())) {
                engine.destroyDomain(f.domid());
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return pages.describe();
    }

    /**
     * The folder's rings with each page wrapped for the simulator ({@link ServedPage}); the wrapper made for
     * the ring being served is handed to its frontend.
     */
    private static final class Pages implements DomainRings {
        private final DomainRings rings;
        private final Profile profile;
        private final Map<Integer, ServedPage> made = new ConcurrentHashMap<>();
        private final Map<Long, ServedPage> grants = new ConcurrentHashMap<>();

        Pages(DomainRings rings, Profile profile) {
            this.rings = rings;
            this.profile = profile;
        }

        /** Maps the page of the ring about to be served. */
        ServedPage next(int domid) throws IOException {
            ServedPage p = new ServedPage(rings.mapRing(domid), profile.serverFeatures(), profile.reconnection());
            made.put(domid, p);
            return p;
        }

        void clear(int domid) {
            made.remove(domid);
        }

        /** Maps the page of the offered ring about to be served. */
        ServedPage nextGrant(int domid, int gref) throws IOException {
            ServedPage p = new ServedPage(rings.mapGrant(domid, gref), profile.serverFeatures(),
                    profile.reconnection());
            grants.put(grantKey(domid, gref), p);
            return p;
        }

        void clearGrant(int domid, int gref) {
            grants.remove(grantKey(domid, gref));
        }

        private static long grantKey(int domid, int gref) {
            return ((long) domid << 32) | (gref & 0xffffffffL);
        }

        @Override
        public SharedPage mapRing(int domid) throws IOException {
            ServedPage p = made.get(domid);
            if (p == null) {
                throw new IOException("no page prepared for domain " + domid);
            }
            return p;
        }

        @Override
        public SharedPage mapGrant(int domid, int gref) throws IOException {
            ServedPage prepared = grants.get(grantKey(domid, gref));
            if (prepared != null) {
                return prepared;
            }
            return new ServedPage(rings.mapGrant(domid, gref), profile.serverFeatures(), profile.reconnection());
        }

        @Override
        public EventChannels eventChannels() {
            return rings.eventChannels();
        }

        @Override
        public String describe() {
            return rings.describe() + " served by the xenstore simulator";
        }

        @Override
        public void close() {
            rings.close();
        }
    }
}
