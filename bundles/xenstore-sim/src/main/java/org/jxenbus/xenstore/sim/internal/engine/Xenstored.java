package org.jxenbus.xenstore.sim.internal.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.jxenbus.xenstore.sim.Profile;
import org.jxenbus.xenstore.sim.Quotas;

/**
 * The simulated daemon's state and its parts, as xenstored's globals are: the generation count, the
 * database, the domains, the connections in creation order, the quotas, and {@code errno} (a few requests
 * answer with whatever errno an earlier step left, so it is kept where xenstored keeps it). Engine thread
 * only.
 */
final class Xenstored {

    private final Engine engine;
    private final Profile profile;
    private final Limits limits;
    private final Hypervisor hypervisor;
    private final LongSupplier clock;
    private final Domains domains;
    private final Database db;
    private final Tree tree;
    private final WatchFiring watches;
    private final Output output;
    private final TransactionRequests transactions;
    private final WatchRequests watchRequests;
    private final DomainRequests domainRequests;
    private final Dispatcher dispatcher;
    private final List<Connection> connections = new ArrayList<>();
    private long generation;
    /** The connection after the one whose request is processed, as xenstored's loop holds it; or null. */
    Connection successor;
    /** xenstored's errno; null is 0. Starts as a value outside the wire's table (answered as EINVAL). */
    private Errno errno = Errno.EINVAL;

    Xenstored(Engine engine, Profile profile, Quotas quotas, Hypervisor hypervisor, LongSupplier clock) {
        this.engine = engine;
        this.profile = profile;
        this.limits = new Limits(quotas);
        this.hypervisor = hypervisor;
        this.clock = clock;
        this.domains = new Domains(this);
        this.db = new Database(domains);
        this.tree = new Tree(this);
        this.watches = new WatchFiring(this);
        this.output = new Output(this);
        this.transactions = new TransactionRequests(this);
        this.watchRequests = new WatchRequests(this);
        this.domainRequests = new DomainRequests(this);
        this.dispatcher = new Dispatcher(this);
        new NodeRequests(this).register(dispatcher);
        watchRequests.register(dispatcher);
        transactions.register(dispatcher);
        domainRequests.register(dispatcher);
        new ControlRequests(this).register(dispatcher);
    }

    /**
     * {@code dom0_init} and {@code setup_structure}: dom0 introduced, with its connection, and the nodes
     * {@code /}, {@code /tool} and {@code /tool/xenstored} owned by it.
     */
    void start() {
        Domain dom0 = domains.alloc(0);
        dom0.introduced = true;
        Connection c = new Connection(engine, dom0, null);
        c.frontend(new UnreadRing(this, c));
        dom0.connection = c;
        connections.add(c);
        writeInitial("/", "tool");
        writeInitial("/tool", "xenstored");
        writeInitial("/tool/xenstored", null);
        domains.entryFix(0, 3, true);
    }

    private void writeInitial(String name, String child) {
        Node n = new Node(name);
        n.perms = NodePerms.ownedBy(0);
        if (child != null) {
            n.addChild(child);
        }
        try {
            tree.write(null, n, false);
        } catch (XsError e) {
            throw new IllegalStateException("cannot create the initial node " + name + ": " + e.errno);
        }
    }

    // ---- parts

    Engine engine() {
        return engine;
    }

    Profile profile() {
        return profile;
    }

    Limits limits() {
        return limits;
    }

    Hypervisor hypervisor() {
        return hypervisor;
    }

    Domains domains() {
        return domains;
    }

    Database db() {
        return db;
    }

    Tree tree() {
        return tree;
    }

    WatchFiring watches() {
        return watches;
    }

    Output output() {
        return output;
    }

    TransactionRequests transactions() {
        return transactions;
    }

    WatchRequests watchRequests() {
        return watchRequests;
    }

    DomainRequests domainRequests() {
        return domainRequests;
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    List<Connection> connections() {
        return connections;
    }

    long nowMillis() {
        return clock.getAsLong();
    }

    // ---- generation

    /** The global generation count. */
    long generation() {
        return generation;
    }

    /** {@code ++generation}. */
    long nextGeneration() {
        return ++generation;
    }

    // ---- errno

    Errno errno() {
        return errno;
    }

    void errno(Errno e) {
        errno = e;
    }

    /** Sets errno and returns the error to throw. */
    XsError fail(Errno e) {
        errno = e;
        return new XsError(e);
    }

    /**
     * The error of a request xenstored answers with whatever errno is left: that errno; EINVAL when it is 0
     * (where xenstored sends nothing and dies on an assertion).
     */
    XsError staleError() {
        return new XsError(errno == null ? Errno.EINVAL : errno);
    }

    // ---- connections

    /** Messages were queued for {@code conn}: its frontend is told. */
    void outputQueued(Connection conn) {
        Frontend f = conn.frontend();
        if (f != null) {
            f.outputAvailable();
        }
    }

    /** A socket-like connection opened (privileged, domain 0's implicit path). */
    Connection openSocketConnection(Frontend frontend) {
        Connection c = new Connection(engine, null, frontend);
        connections.add(c);
        return c;
    }

    /**
     * {@code destroy_conn} and the transactions freed with it: output dropped, watches and transactions
     * removed, the connection gone from the list and its frontend told.
     */
    void destroyConnection(Connection c) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        output.dropAll(c);
        watchRequests.removeAll(c);
        for (Connection other : connections) {
            // the references c held (its SET_TARGETs) go with it
            other.referencedBy.removeIf(holder -> holder == c);
            if (other.target == c) {
                // xenstored keeps a dangling pointer here (a use after free); the target is forgotten instead
                other.target = null;
            }
        }
        connections.remove(c);
        transactions.removeAll(c);
        c.dropRequests();
        Frontend f = c.frontend();
        if (f != null) {
            f.closed();
        }
    }

    /**
     * {@code ignore_connection}: a ring that broke the protocol keeps its domain but loses its watches,
     * transactions and queued output, and is read no more.
     */
    void ignoreConnection(Connection c) {
        c.ignored = true;
        watchRequests.removeAll(c);
        transactions.removeAll(c);
        output.dropAll(c);
        c.dropRequests();
    }
}
