package org.jxenbus.xenstore.core.internal.osgi;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.api.XenstoreStatus;
import org.jxenbus.xenstore.core.internal.ManagedConnection;
import org.jxenbus.xenstore.spi.transport.TransportProvider;
import org.jxenbus.xenstore.spi.transport.TransportProvider.Discovered;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The runtime's one shared xenstore connection. It chooses the store (configured, or discovered through the
 * active transport bundles), opens the connection when a transport bundle can serve it, and registers
 * {@link ConnectedStore} (and {@link XenstoreStatus}); {@link BundleXenstoreService} then offers
 * {@code XenstoreService} to every bundle. While it runs:
 * <ul>
 * <li>a transport bundle that goes away takes its transport with it; the connection reconnects when a bundle
 * serving the store is back (requests wait within their timeouts; see the core's reconnection rules);</li>
 * <li>changed options apply to the open connection in place (requests, transactions and waits begun from then
 * on follow them; the service stays registered), also when the configuration now names the store that
 * discovery found;</li>
 * <li>a changed URI switches the transport in a planned way (nothing lost, watches set again), unless it would
 * move between the simulator and a real store, or from a configured store to discovery, which restarts the
 * service (consumers see it go and come);</li>
 * <li>invalid configuration is one log line, and no service.</li>
 * </ul>
 * The simulator is used only when nothing is configured and no real store exists once the discovery grace
 * is over, or sooner, once every installed transport bundle is active and bound (none still starting could find
 * a real store); it is announced in one line. The runtime never fails over from a real store to the simulator.
 *
 * <p>Every decision runs on one short-lived thread ({@code xenstore-runtime}), in order.
 */
@Component(immediate = true, configurationPid = XenstoreRuntime.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StoreConfiguration.class)
public final class XenstoreRuntime {

    /** The configuration PID. */
    public static final String PID = "org.jxenbus.xenstore";

    private static final Logger LOG = System.getLogger(XenstoreRuntime.class.getName());
    private static final long RETRY_MAX_MILLIS = 30_000;

    private final BundleContext context;
    private final ProviderTransportSource source = new ProviderTransportSource();
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "xenstore-runtime");
                t.setDaemon(true);
                return t;
            });
    private final java.util.concurrent.ScheduledExecutorService timer;

    // All below: only on the worker thread.
    private ConfiguredOptions config;
    private long discoveryDeadline;
    private long retryMillis = 100;
    private boolean retryScheduled;
    private String lastWaitingFor = "";
    private ManagedConnection connection;
    private boolean simulated;
    private ServiceRegistration<?> registration;
    private Runnable unregisterMBean = () -> { };
    private boolean stopped;

    /** Reads the configuration; the store is chosen as transport bundles appear. */
    @Activate
    public XenstoreRuntime(BundleContext context, StoreConfiguration configuration) {
        this.context = context;
        java.util.concurrent.ScheduledThreadPoolExecutor t = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "xenstore-runtime-timer");
            th.setDaemon(true);
            return th;
        });
        t.setKeepAliveTime(5, TimeUnit.SECONDS);
        t.allowCoreThreadTimeOut(true);
        this.timer = t;
        run(() -> configure(configuration));
    }

    /** A transport bundle's provider arrived. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(TransportProvider p) {
        source.add(p);
        run(this::reconcile);
    }

    /** A transport bundle's provider left: its transport is closed now; the connection reconnects later. */
    void removeProvider(TransportProvider p) {
        source.remove(p);
    }

    @Modified
    void modified(StoreConfiguration configuration) {
        run(() -> reconfigure(configuration));
    }

    @Deactivate
    void deactivate() {
        run(() -> {
            stopped = true;
            disconnect();
        });
        worker.shutdown();
        timer.shutdownNow();
        try {
            worker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Runnable step) {
        worker.execute(() -> {
            try {
                step.run();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "xenstore runtime: " + e, e);
            }
        });
    }

    private void configure(StoreConfiguration c) {
        try {
            config = ConfiguredOptions.of(c);
        } catch (IllegalArgumentException e) {
            config = null;
            LOG.log(Level.ERROR, "xenstore configuration " + PID + " is invalid, no XenstoreService until it is fixed: "
                    + e.getMessage());
            return;
        }
        discoveryDeadline = System.nanoTime() + config.discoveryGrace().toNanos();
        timer.schedule(() -> run(this::reconcile), config.discoveryGrace().toMillis() + 1, TimeUnit.MILLISECONDS);
        reconcile();
    }

    private void reconfigure(StoreConfiguration c) {
        ConfiguredOptions before = config;
        ConfiguredOptions after;
        try {
            after = ConfiguredOptions.of(c);
        } catch (IllegalArgumentException e) {
            disconnect();
            config = null;
            LOG.log(Level.ERROR, "xenstore configuration " + PID + " is invalid, XenstoreService withdrawn until it "
                    + "is fixed: " + e.getMessage());
            return;
        }
        if (after.equals(before)) {
            return; // the same configuration again (File Install delivers it at its first scan): nothing to redo
        }
        if (connection != null && before != null && changedInPlace(before, after)) {
            return;
        }
        disconnect();
        configure(c);
    }

    /**
     * Applies {@code after} to the open connection when it names the store connected now (the same text, or
     * one that resolves to the same URI, as {@code unix:} after discovery found xenstored's socket) or one the
     * connection may switch to: the options in place, then the switch if the store moved.
     *
     * @return whether it did (else the connection is to be restarted)
     */
    private boolean changedInPlace(ConfiguredOptions before, ConfiguredOptions after) {
        Optional<URI> target = after.store().flatMap(a -> a.resolve(source.providers()));
        boolean sameStore = after.store().equals(before.store())
                || target.map(t -> t.equals(source.target())).orElse(false);
        if (!sameStore && (target.isEmpty() || !switchable(target.get()))) {
            return false;
        }
        config = after;
        if (!after.options().equals(before.options())) {
            connection.reconfigure(after.options());
            LOG.log(Level.INFO, "xenstore: changed options applied to the open connection to " + source.target());
        }
        if (!sameStore) {
            URI to = target.get();
            LOG.log(Level.INFO, "xenstore: switching the transport from " + source.target() + " to " + to);
            source.retarget(to);
            connection.switchTransport(after.switchGrace());
        }
        return true;
    }

    /** Whether the connection may move to {@code uri} in place: a real store to a real store, or sim to sim. */
    private boolean switchable(URI uri) {
        Optional<TransportProvider> p = source.providerFor(uri);
        if (p.isEmpty()) {
            return !simulated;
        }
        boolean targetSimulated = p.get().discover().map(Discovered::simulated).orElse(false);
        return targetSimulated == simulated;
    }

    private void reconcile() {
        if (stopped || config == null || connection != null) {
            return;
        }
        Optional<StoreAddress> configured = config.store();
        Optional<Discovered> chosen = configured.isPresent()
                ? configured.get().resolve(source.providers()).map(u -> new Discovered(u, 0, isSimulated(u)))
                : StoreDiscovery.choose(source.providers(), this::discoveryGraceOver);
        if (configured.isPresent() && chosen.isEmpty()) {
            waitingFor("a transport bundle serving " + configured.get());
            return;
        }
        if (chosen.isEmpty()) {
            waitingFor("a transport bundle that finds a xenstore (none found yet)");
            return;
        }
        URI uri = chosen.get().uri();
        if (source.providerFor(uri).isEmpty()) {
            waitingFor("a transport bundle serving " + uri);
            return;
        }
        source.retarget(uri);
        try {
            connection = ManagedConnection.open(source, config.options());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "xenstore: cannot connect to " + uri + " (" + e.getMessage() + "); retrying in "
                    + retryMillis + " ms");
            scheduleRetry();
            return;
        }
        retryMillis = 100;
        simulated = chosen.get().simulated();
        if (simulated) {
            LOG.log(Level.WARNING, "xenstore: no xenstore found on this machine (no xenstored socket, no xenbus "
                    + "device); using the EMBEDDED SIMULATOR " + uri + ": its data is not a real xenstore");
        } else {
            LOG.log(Level.INFO, "xenstore: connected to " + uri);
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("xenstore.store", uri.toString());
        props.put("xenstore.simulated", simulated);
        ConnectedStore store = new ConnectedStore(connection, source, simulated);
        unregisterMBean = XenstoreMonitor.register(store); // first: whoever sees the service finds the MBean
        registration = context.registerService(new String[] {ConnectedStore.class.getName(),
            XenstoreStatus.class.getName()}, store, props);
    }

    /**
     * Whether the simulator may be taken: the discovery grace passed, or every installed transport bundle is
     * active and bound already, so that none still starting could find a real store.
     */
    private boolean discoveryGraceOver() {
        return System.nanoTime() - discoveryDeadline >= 0
                || TransportBundles.allAnswered(context, source.providers().size());
    }

    private boolean isSimulated(URI uri) {
        return source.providerFor(uri).flatMap(TransportProvider::discover).map(Discovered::simulated).orElse(false);
    }

    private void waitingFor(String what) {
        if (!what.equals(lastWaitingFor)) {
            lastWaitingFor = what;
            LOG.log(Level.INFO, "xenstore: waiting for " + what);
        }
    }

    private void scheduleRetry() {
        if (retryScheduled) {
            return;
        }
        retryScheduled = true;
        long delay = retryMillis;
        retryMillis = Math.min(RETRY_MAX_MILLIS, retryMillis * 2);
        timer.schedule(() -> run(() -> {
            retryScheduled = false;
            reconcile();
        }), delay, TimeUnit.MILLISECONDS);
    }

    private void disconnect() {
        unregisterMBean.run();
        unregisterMBean = () -> { };
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework unregistered it
            }
            registration = null;
        }
        if (connection != null) {
            connection.close();
            connection = null;
        }
        lastWaitingFor = "";
    }
}
