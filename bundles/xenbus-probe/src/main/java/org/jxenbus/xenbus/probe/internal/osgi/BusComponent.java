package org.jxenbus.xenbus.probe.internal.osgi;

import java.util.Map;

import org.jxenbus.xenstore.api.device.XenbusDriver;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * What the two bus components share: the driver whiteboard (reference {@value #DRIVER}, whose target each bus sets
 * to its own {@code xenbus.bus}) and deactivation. Its annotations are inherited ({@code -dsannotations-options:
 * inherit} in module.bnd).
 */
abstract class BusComponent {

    /** The name of the driver reference. */
    static final String DRIVER = "driver";

    private final BusRuntime runtime;

    BusComponent(BusRuntime runtime) {
        this.runtime = runtime; // null: the configuration was invalid (logged); the bus stays off
    }

    @Reference(name = DRIVER, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDriver(XenbusDriver driver, Map<String, Object> properties) {
        if (runtime != null) {
            runtime.addDriver(driver, properties);
        }
    }

    void removeDriver(XenbusDriver driver) {
        if (runtime != null) {
            runtime.removeDriver(driver);
        }
    }

    @Deactivate
    void deactivate() {
        if (runtime != null) {
            runtime.close();
        }
    }
}
