package org.jxenbus.itests.sim;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jxenbus.testsupport.FakeXenHost;
import org.jxenbus.transport.ring.fake.FakeHost;
import org.jxenbus.xenstore.sim.Endpoint;
import org.jxenbus.xenstore.sim.SimulatorOptions;
import org.jxenbus.xenstore.sim.XenstoreSimulator;

/**
 * A xenstored under test and how clients reach it: privileged socket clients, domains' ring clients, and
 * the hypervisor's list of domains. Three kinds: the C xenstored 4.17 on the fake hypervisor, the simulator
 * in the same JVM ({@code sim:} transports), and the simulator serving a fake-hypervisor folder's socket and
 * rings (reached exactly as the C daemon is).
 */
interface Server extends AutoCloseable {

    String describe();

    /** A privileged client, as on xenstored's socket. */
    Wire openSocket(String name) throws IOException;

    /** Domain {@code domid}'s client (its ring); the domain must be introduced. */
    Wire openDomain(String name, int domid) throws IOException;

    /** The hypervisor knows domain {@code domid} from now on (not introduced). */
    void createDomain(int domid) throws IOException;

    /** Whether the server still runs (the C daemon may die on an assertion). */
    boolean alive();

    /** The fake-hypervisor folder whose rings it serves, or null (in the JVM). */
    default Path folder() {
        return null;
    }

    @Override
    void close();

    /** The C xenstored 4.17 on the LD_PRELOAD shim, a fresh one in a fresh folder. */
    static Server xenstored() {
        return xenstored(new String[0]);
    }

    /** The C xenstored 4.17 with extra command-line options (quotas, timeouts). */
    static Server xenstored(String... args) {
        FakeXenHost host = FakeXenHost.start(args);
        return new Server() {
            @Override
            public String describe() {
                return "C xenstored 4.17 (" + host.dir() + ")";
            }

            @Override
            public Wire openSocket(String name) throws IOException {
                return Wire.open(name, host.socketUri());
            }

            @Override
            public Wire openDomain(String name, int domid) throws IOException {
                return Wire.open(name, domid == 0 ? host.dom0RingUri() : host.guestRingUri(domid));
            }

            @Override
            public void createDomain(int domid) throws IOException {
                new FakeHost(host.dir()).createDomain(domid);
            }

            @Override
            public boolean alive() {
                return host.running();
            }

            @Override
            public Path folder() {
                return host.dir();
            }

            @Override
            public void close() {
                host.close();
            }
        };
    }

    /** The simulator in the same JVM, reached through {@code sim:} transports. */
    static Server simulator(SimulatorOptions options) {
        XenstoreSimulator sim = XenstoreSimulator.start(options);
        return new Server() {
            @Override
            public String describe() {
                return "simulator in the JVM (" + sim.uri() + ")";
            }

            @Override
            public Wire openSocket(String name) throws IOException {
                return Wire.open(name, sim.uri());
            }

            @Override
            public Wire openDomain(String name, int domid) throws IOException {
                return Wire.open(name, sim.uri(domid));
            }

            @Override
            public void createDomain(int domid) throws IOException {
                sim.createDomain(domid);
            }

            @Override
            public boolean alive() {
                return true;
            }

            @Override
            public void close() {
                sim.close();
            }
        };
    }

    /**
     * The simulator in xenstored's place on a fresh fake-hypervisor folder: its unix socket and the rings
     * (dom0's included), reached through {@code unix:} and {@code ring:fake:} as the C daemon is.
     */
    static Server simulatorOnFolder(SimulatorOptions options) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jxb-sim-");
        XenstoreSimulator sim = XenstoreSimulator.start(options);
        Endpoint socket = sim.serveSocket(dir.resolve("socket"));
        Endpoint rings = sim.serveRings(dir, true);
        return new Server() {
            @Override
            public String describe() {
                return "simulator on socket and rings (" + dir + ")";
            }

            @Override
            public Wire openSocket(String name) throws IOException {
                return Wire.open(name, URI.create("unix:" + dir.resolve("socket")));
            }

            @Override
            public Wire openDomain(String name, int domid) throws IOException {
                return Wire.open(name, URI.create("ring:fake:" + dir + "?domid=" + domid));
            }

            @Override
            public void createDomain(int domid) throws IOException {
                sim.createDomain(domid);
            }

            @Override
            public boolean alive() {
                return true;
            }

            @Override
            public Path folder() {
                return dir;
            }

            @Override
            public void close() {
                socket.close();
                rings.close();
                sim.close();
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary folder left behind is harmless
                }
            }
        };
    }
}
