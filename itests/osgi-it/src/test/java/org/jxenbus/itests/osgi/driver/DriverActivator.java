package org.jxenbus.itests.osgi.driver;

import java.util.Dictionary;
import java.util.Hashtable;

import org.jxenbus.xenstore.api.device.XenbusBus;
import org.jxenbus.xenstore.api.device.XenbusDriver;
import org.jxenbus.xenstore.api.device.XenbusProperties;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The activator of the driver bundle DeviceProbeIT makes of this package: registers a new
 * {@link VifBackendDriver} claiming {@code vif} on the backend bus while the bundle is active. Each start is a new
 * driver with a new record.
 */
public final class DriverActivator implements BundleActivator {

    /** The driver bundle's symbolic name. */
    public static final String BSN = "org.jxenbus.itests.driver";

    private ServiceRegistration<XenbusDriver> registration;

    @Override
    public void start(BundleContext context) {
        Dictionary<String, Object> claim = new Hashtable<>();
        claim.put(XenbusProperties.BUS, XenbusBus.BACKEND.value());
        claim.put(XenbusProperties.TYPE, "vif");
        registration = context.registerService(XenbusDriver.class, new VifBackendDriver(), claim);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
    }
}
