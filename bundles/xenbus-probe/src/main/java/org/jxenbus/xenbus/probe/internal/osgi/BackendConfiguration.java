package org.jxenbus.xenbus.probe.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The backend bus (PID {@value BackendBusComponent#PID}; without a configuration the bus is off). */
@ObjectClassDefinition(name = "jxenbus backend bus", description = "The devices this domain serves "
        + "(backend/<type>/<frontend-domid>/<id> under its home, in dom0 or a driver domain) as XenbusDevice "
        + "services, and drivers for them. Off unless configured.")
@interface BackendConfiguration {

    @AttributeDefinition(name = "Kernel-driven types", required = false, description = "device types the kernel "
            + "drives in this domain: driver claims on them are refused (Linux dom0: netback, blkback)")
    String[] kernelDrivenTypes() default {"vif", "vbd"};

    @AttributeDefinition(name = "Callback threads", min = "1", description = "threads at most for driver callbacks")
    int callbackThreads() default 2;
}
