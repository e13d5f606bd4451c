package org.jxenbus.xenbus.probe.internal.osgi;

import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.device.XenbusBus;
import org.jxenbus.xenstore.api.watch.WatchService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The backend bus, on only with a configuration (PID {@value #PID}): {@code backend/<type>/<domid>/<id>} of this
 * domain (dom0 or a driver domain) as {@code XenbusDevice} services, and the backend drivers
 * ({@code xenbus.bus=backend}). Public only for Declarative Services; the package is not exported.
 */
@Component(configurationPid = BackendBusComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, property = BusComponent.DRIVER + ".target=(xenbus.bus=backend)")
@Designate(ocd = BackendConfiguration.class)
public final class BackendBusComponent extends BusComponent {

    /** The configuration PID. */
    public static final String PID = "org.jxenbus.xenbus.probe.backend";

    /** Starts the bus over this bundle's store and watch services. */
    @Activate
    public BackendBusComponent(BundleContext context, @Reference XenstoreService store,
            @Reference WatchService watches, BackendConfiguration config) {
        super(BusRuntime.start(context, XenbusBus.BACKEND, store, watches, PID, config.kernelDrivenTypes(),
                config.callbackThreads()));
    }
}
