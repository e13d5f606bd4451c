package org.jxenbus.itests.consumer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.RawWatch;
import org.jxenbus.xenstore.api.Transaction;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.watch.WatchService;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.util.tracker.ServiceTracker;

/**
 * An ordinary consumer bundle, compiled against the API only: it finds {@link XenstoreService} and
 * {@link WatchService} by interface and uses them, talking to the tests only through the store, under
 * {@code /it/consumer/<bundle id>}:
 * <ul>
 * <li>an echo: whenever {@code ping} changes, its value is written to {@code pong} (a WatchService listener
 * calling blocking verbs on a dispatch thread);</li>
 * <li>state that only the runtime can clean up when the bundle stops: a raw watch and a WatchService watch on
 * {@code /it/shared}, and a transaction left open after writing {@code uncommitted} inside it;</li>
 * <li>{@code ready} written last, outside any transaction, once all of that is in place: the open
 * transaction's id and the raw watch's token, {@code transaction=<id> token=<token>}.</li>
 * </ul>
 * Its work runs on one thread it owns ({@code it-consumer}), started in {@link #start} and joined in
 * {@link #stop}; stopping closes its trackers, which releases the bundle-scoped services.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class ConsumerActivator implements BundleActivator {

    /** The shared path both this bundle and the tests watch. */
    public static final String SHARED = "/it/shared";

    private static final long SERVICE_WAIT_MILLIS = 30_000;

    private ServiceTracker<XenstoreService, XenstoreService> stores;
    private ServiceTracker<WatchService, WatchService> watchServices;
    private Thread worker;
    private final AtomicInteger sharedEvents = new AtomicInteger();

    @Override
    public void start(BundleContext context) {
        stores = new ServiceTracker<>(context, XenstoreService.class, null);
        watchServices = new ServiceTracker<>(context, WatchService.class, null);
        stores.open();
        watchServices.open();
        String base = "/it/consumer/" + context.getBundle().getBundleId();
        worker = new Thread(() -> engage(base), "it-consumer");
        worker.start();
    }

    private void engage(String base) {
        try {
            XenstoreService xs = stores.waitForService(SERVICE_WAIT_MILLIS);
            WatchService watches = watchServices.waitForService(SERVICE_WAIT_MILLIS);
            if (xs == null || watches == null) {
                System.err.println("it-consumer: no XenstoreService or WatchService within " + SERVICE_WAIT_MILLIS
                        + " ms");
                return;
            }
            watches.watch(base + "/ping", path -> echo(xs, base));
            watches.watch(SHARED, path -> sharedEvents.incrementAndGet());
            RawWatch raw = xs.watch(SHARED, event -> sharedEvents.incrementAndGet());
            Transaction open = xs.beginTransaction();
            open.write(base + "/uncommitted", "written inside a transaction that is never committed");
            xs.write(base + "/ready", "transaction=" + open.id() + " token=" + raw.token());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("it-consumer: " + e);
            e.printStackTrace();
        }
    }

    private static void echo(XenstoreService xs, String base) {
        try {
            xs.write(base + "/pong", xs.read(base + "/ping"));
        } catch (NoSuchNodeException beforeTheFirstPing) {
            // the listener's first call, when it joins: nothing to echo yet
        }
    }

    @Override
    public void stop(BundleContext context) throws InterruptedException {
        worker.interrupt();
        worker.join(TimeUnit.SECONDS.toMillis(SERVICE_WAIT_MILLIS / 1000 + 5));
        watchServices.close();
        stores.close();
    }
}
