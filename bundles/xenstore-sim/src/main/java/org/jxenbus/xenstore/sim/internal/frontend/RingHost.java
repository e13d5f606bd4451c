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
        RingFrontend f = byDomain.get(ring.domid());
        if (f != null && f.serves(ring)) {
            f.request(request);
        }
    }

    @Override
    public void reset(ServedRing ring) {
        RingFrontend f = byDomain.get(ring.domid());
        if (f != null && f.serves(ring)) {
            if (!f.takeResetPending()) {
                engine.ringReconnected(f.connection());
            }
            f.reset();
        }
    }

    @Override
    public void failed(ServedRing ring, String why) {
        RingFrontend f = byDomain.get(ring.domid());
        if (f != null && f.serves(ring)) {
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
