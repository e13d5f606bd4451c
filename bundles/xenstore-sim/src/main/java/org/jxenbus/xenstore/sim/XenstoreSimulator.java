package org.jxenbus.xenstore.sim;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

import org.jxenbus.transport.ring.server.XenDomainRings;
import org.jxenbus.transport.xendev.StoreInterface;
import org.jxenbus.xenstore.sim.internal.frontend.SimulatorRuntime;

/**
 * A xenstored in Java that answers as the C xenstored 4.17 does wherever a client can tell: the same
 * replies, errors (and their precedence), generation counts, permission rules, quotas, transaction
 * conflicts and watch events. It serves in the same JVM ({@code sim:NAME} URIs, through the
 * {@code TransportProvider} this module registers), on unix sockets ({@link #serveSocket}), as the
 * server of domains' rings on a fake-hypervisor folder ({@link #serveRings}) and as a real dom0's xenstore
 * ({@link #serveDom0Ring}).
 *
 * <p>One thread owns the store and processes one request at a time, from whichever client, as xenstored
 * does; the frontends have their own threads.
 *
 * <p><b>Threads.</b> Thread-safe. The methods that change or ask the simulator block until its thread has
 * done so (moments; at most 30 s, then {@link IllegalStateException}).
 */
public final class XenstoreSimulator implements AutoCloseable {

    private final SimulatorRuntime runtime;

    private XenstoreSimulator(SimulatorRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Starts a simulator: dom0 introduced, the nodes {@code /}, {@code /tool}, {@code /tool/xenstored}, no
     * other domain.
     *
     * @throws IllegalStateException if a running simulator has the same name
     */
    public static XenstoreSimulator start(SimulatorOptions options) {
        return new XenstoreSimulator(SimulatorRuntime.start(Objects.requireNonNull(options, "options")));
    }

    /** Starts a simulator with {@link SimulatorOptions#defaults()}. */
    public static XenstoreSimulator start() {
        return start(SimulatorOptions.defaults());
    }

    /**
     * The running simulator named {@code name}, started with default options (and that name) if none runs:
     * what {@code sim:NAME} URIs reach. Closing the returned object stops that simulator for every user.
     */
    public static XenstoreSimulator shared(String name) {
        return new XenstoreSimulator(SimulatorRuntime.shared(Objects.requireNonNull(name, "name")));
    }

    /** Its name, as {@code sim:NAME} URIs use it. */
    public String name() {
        return runtime.name();
    }

    /** The options it was started with (quotas since changed by {@code CONTROL quota set} not included). */
    public SimulatorOptions options() {
        return runtime.options();
    }

    /** {@code sim:NAME}: a privileged client in the same JVM, as on xenstored's socket. */
    public URI uri() {
        return runtime.uri(null);
    }

    /**
     * {@code sim:NAME?domid=N}: domain N's client in the same JVM, as on its ring: unprivileged (for N other
     * than 0), relative paths under {@code /local/domain/N}, quotas applied. The domain is introduced on first
     * use if it was not; its connection outlives each client, and only one client may use it at a time.
     */
    public URI uri(int domid) {
        return runtime.uri(domid);
    }

    /**
     * Serves xenstored's unix socket protocol at {@code socket}, created owner-only (0600), replacing a file
     * there. Every client is privileged. {@code xenstore-utils} and {@code test-xenstore} connect with
     * {@code XENSTORED_PATH=socket}.
     *
     * @throws IOException if the socket cannot be created
     */
    public Endpoint serveSocket(Path socket) throws IOException {
        AutoCloseable s = runtime.serveSocket(socket);
        return endpoint(s, "unix socket " + socket.toAbsolutePath());
    }

    /**
     * Takes xenstored's place on the fake-hypervisor folder {@code dir} (shared/FAKE-HYPERVISOR.md): a domain
     * introduced from now on is served on {@code dir/dom<N>.ring} (INTRODUCE fails with ENOENT without that
     * file), domain N exists while that file does (and dies when it goes), and with {@code dom0Ring} dom0's
     * ring is served too (made, zeroed, if the folder has none). No C xenstored may serve the same folder.
     * One folder per simulator.
     *
     * @throws IOException if the folder's files cannot be made or mapped
     */
    public Endpoint serveRings(Path dir, boolean dom0Ring) throws IOException {
        AutoCloseable s = runtime.serveRings(dir, dom0Ring);
        return endpoint(s, "rings of " + dir.toAbsolutePath());
    }

    /**
     * Takes xenstored's place for dom0 on a real Xen host, where no other xenstore server runs: maps dom0's
     * ring ({@code /proc/xen/xsd_kva}), binds to the dom0 kernel's port ({@code /proc/xen/xsd_port}) and
     * kicks it once, as xenstored does, so the kernel's xenbus driver becomes the client of dom0's connection
     * and {@code /dev/xen/xenbus} works. Needs xenfs on {@code /proc/xen} and {@code /dev/xen/evtchn}. Dom0's
     * ring stays mapped until the simulator is closed (a kernel's xenbus cannot move to another xenstore).
     *
     * @throws IOException if this is not such a dom0 or the devices cannot be opened
     * @throws IllegalStateException if this simulator already serves rings
     */
    public Endpoint serveDom0Ring() throws IOException {
        if (!StoreInterface.present()) {
            throw new IOException("no " + StoreInterface.KVA + " and " + StoreInterface.PORT
                    + ": not a Xen dom0 with xenfs mounted on /proc/xen");
        }
        int port = StoreInterface.port();
        AutoCloseable s = runtime.serveDom0(XenDomainRings.open(), port);
        return endpoint(s, "dom0's ring (" + StoreInterface.KVA + ", port " + port + ")");
    }

    /**
     * Serves a ring a client offered with {@code ring:gntalloc?server=D} (D being this simulator's domain):
     * grant {@code gref} of domain {@code domid}, its client notifying on {@code port} (both in the client's
     * transport URI), as a privileged socket-like connection of its own. Closing the endpoint stops serving
     * it and ends the connection (its watches and transactions go).
     *
     * @throws IOException if the grant cannot be mapped or the port bound
     * @throws IllegalStateException if this simulator serves no rings ({@link #serveDom0Ring} or
     *         {@link #serveRings} first)
     */
    public Endpoint serveGrantRing(int domid, int gref, int port) throws IOException {
        AutoCloseable s = runtime.serveGrant(domid, gref, port);
        return endpoint(s, "ring of grant " + gref + " of domain " + Integer.toUnsignedString(domid) + ", port "
                + port);
    }

    /**
     * Lets the hypervisor know domain {@code domid} (it exists, not yet introduced): permissions may name it.
     * Serving rings, this makes its zeroed ring file and FIFO.
     *
     * @throws IOException if the ring file cannot be made
     */
    public void createDomain(int domid) throws IOException {
        runtime.createDomain(domid);
    }

    /**
     * Introduces domain {@code domid} as dom0's toolstack would with INTRODUCE ({@code @introduceDomain}
     * fires); serving rings, its ring is served on event-channel port {@code port}.
     *
     * @return false if it was already introduced
     * @throws IllegalStateException with xenstored's errno if it cannot be (ENOENT: no ring file)
     */
    public boolean introduceDomain(int domid, int port) {
        return runtime.introduceDomain(domid, port);
    }

    /**
     * The domain dies: the simulator destroys it as xenstored does when the hypervisor reports it gone (its
     * connection and the nodes it owns go, {@code @releaseDomain} fires) and forgets it.
     *
     * @throws IOException if its ring file cannot be removed
     */
    public void destroyDomain(int domid) throws IOException {
        runtime.destroyDomain(domid);
    }

    /** Whether domain {@code domid} is introduced (IS_DOMAIN_INTRODUCED). */
    public boolean isIntroduced(int domid) {
        return runtime.engine().isIntroduced(domid);
    }

    /**
     * Freezes the simulator as a SIGSTOPped xenstored is frozen: it goes on accepting connections and
     * requests but answers nothing until {@link #resume()}. For testing clients' timeouts. Does not block.
     */
    public void pause() {
        runtime.engine().pause(true);
    }

    /** Ends a {@link #pause()}: queued requests are answered. Does not block. */
    public void resume() {
        runtime.engine().pause(false);
    }

    /**
     * Stops the simulator: its sockets and rings are no longer served, in-JVM clients see their connection
     * closed, its name is free again. Idempotent.
     */
    @Override
    public void close() {
        runtime.close();
    }

    private static Endpoint endpoint(AutoCloseable closeable, String description) {
        return new Endpoint() {
            private boolean closed;

            @Override
            public String describe() {
                return description;
            }

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    try {
                        closeable.close();
                    } catch (Exception ignored) {
                        // closing: nothing the caller could do about it
                    }
                }
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }

    @Override
    public String toString() {
        return "xenstore simulator " + name() + " (" + runtime.profile().id() + ")";
    }
}
