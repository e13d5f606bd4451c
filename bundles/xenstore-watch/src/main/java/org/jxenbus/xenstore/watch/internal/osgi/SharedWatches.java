package org.jxenbus.xenstore.watch.internal.osgi;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;

import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.watch.WatchOptions;
import org.jxenbus.xenstore.watch.internal.SharedWatchService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The runtime's one watch service, over the watch bundle's own {@link XenstoreService}: server watches are
 * shared by every consumer bundle (one per path). Registered (under this class, for
 * {@link BundleWatchService}) only with a valid configuration; invalid configuration is one log line and no
 * service. Public only for Declarative Services; the package is not exported.
 */
@Component(immediate = true, configurationPid = SharedWatches.PID)
@Designate(ocd = WatchConfiguration.class)
public final class SharedWatches {

    /** The configuration PID. */
    public static final String PID = "org.jxenbus.xenstore.watch";

    private static final Logger LOG = System.getLogger(SharedWatches.class.getName());

    private final SharedWatchService service;
    private final Runnable unregisterMBean;
    private final ServiceRegistration<SharedWatches> registration;

    /** Starts the shared service and registers it, if the configuration is valid. */
    @Activate
    public SharedWatches(BundleContext context, @Reference XenstoreService store, WatchConfiguration c) {
        WatchOptions options;
        try {
            options = new WatchOptions(c.dispatchThreads(), c.queueCapacity(),
                    Duration.ofMillis(c.blockedThresholdMillis()));
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "watch configuration " + PID + " is invalid, no WatchService until it is fixed: "
                    + e.getMessage());
            this.service = null;
            this.registration = null;
            this.unregisterMBean = () -> { };
            return;
        }
        this.service = new SharedWatchService(store, options);
        this.unregisterMBean = WatchMonitor.register(service); // first: whoever sees the service finds the MBean
        this.registration = context.registerService(SharedWatches.class, this, null);
    }

    SharedWatchService service() {
        return service;
    }

    @Deactivate
    void deactivate() {
        unregisterMBean.run();
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
        if (service != null) {
            service.close();
        }
    }
}
