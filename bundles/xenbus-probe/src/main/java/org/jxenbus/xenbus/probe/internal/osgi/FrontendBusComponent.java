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
 * The frontend bus, on only with a configuration (PID {@value #PID}): {@code device/<type>/<id>} of this domain as
 * {@code XenbusDevice} services, and the frontend drivers ({@code xenbus.bus=frontend}). Public only for
 * Declarative Services; the package is not exported.
 */
@Component(configurationPid = FrontendBusComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, property = BusComponent.DRIVER + ".target=(xenbus.bus=frontend)")
@Designate(ocd = FrontendConfiguration.class)
public final class FrontendBusComponent extends BusComponent {

    /** The configuration PID. */
    public static final String PID = "org.jxenbus.xenbus.probe.frontend";

    /** Starts the bus over this bundle's store and watch services. */
    @Activate
    public FrontendBusComponent(BundleContext context, @Reference XenstoreService store,
            @Reference WatchService watches, FrontendConfiguration config) {
        super(BusRuntime.start(context, XenbusBus.FRONTEND, store, watches, PID, config.kernelDrivenTypes(),
                config.callbackThreads()));
    }
}
