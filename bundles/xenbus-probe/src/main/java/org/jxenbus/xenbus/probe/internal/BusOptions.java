package org.jxenbus.xenbus.probe.internal;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jxenbus.xenstore.api.device.XenbusBus;

/**
 * How a bus runs. Immutable.
 *
 * @param kernelDrivenTypes the device types the kernel drives in this domain on this bus: claims on them are
 *        refused
 * @param callbackThreads threads at most for driver callbacks (as many drivers may block at once)
 */
public record BusOptions(Set<String> kernelDrivenTypes, int callbackThreads) {

    /** What a Linux kernel drives in a guest: netfront, blkfront, the console, keyboard and framebuffer frontends. */
    public static final List<String> LINUX_FRONTEND_TYPES = List.of("vif", "vbd", "console", "vkbd", "vfb");
    /** What a Linux dom0 or driver domain kernel drives: netback and blkback. */
    public static final List<String> LINUX_BACKEND_TYPES = List.of("vif", "vbd");

    /** Checks the values. */
    public BusOptions {
        kernelDrivenTypes = Set.copyOf(Objects.requireNonNull(kernelDrivenTypes, "kernelDrivenTypes"));
        if (callbackThreads < 1) {
            throw new IllegalArgumentException("callbackThreads must be positive: " + callbackThreads);
        }
    }

    /** Linux's kernel-driven types for {@code bus}, 2 callback threads. */
    public static BusOptions defaults(XenbusBus bus) {
        return new BusOptions(Set.copyOf(bus == XenbusBus.FRONTEND ? LINUX_FRONTEND_TYPES : LINUX_BACKEND_TYPES), 2);
    }

    /** These options with other kernel-driven types (none: every type may be claimed). */
    public BusOptions withKernelDrivenTypes(Set<String> types) {
        return new BusOptions(types, callbackThreads);
    }
}
