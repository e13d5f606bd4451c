package org.jxenbus.xenbus.probe.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The frontend bus (PID {@value FrontendBusComponent#PID}; without a configuration the bus is off). */
@ObjectClassDefinition(name = "jxenbus frontend bus", description = "The devices this domain uses "
        + "(device/<type>/<id> under its home) as XenbusDevice services, and drivers for them. Off unless configured.")
@interface FrontendConfiguration {

    @AttributeDefinition(name = "Kernel-driven types", required = false, description = "device types the kernel "
            + "drives in this domain: driver claims on them are refused (Linux guest: netfront, blkfront, console, "
            + "keyboard and framebuffer frontends)")
    String[] kernelDrivenTypes() default {"vif", "vbd", "console", "vkbd", "vfb"};

    @AttributeDefinition(name = "Callback threads", min = "1", description = "threads at most for driver callbacks")
    int callbackThreads() default 2;
}
