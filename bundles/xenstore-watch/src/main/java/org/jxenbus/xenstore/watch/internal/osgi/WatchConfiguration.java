package org.jxenbus.xenstore.watch.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** How the runtime's watch service dispatches (PID {@value SharedWatches#PID}). */
@ObjectClassDefinition(name = "jxenbus watch service", description = "Bounds of the shared watch service.")
@interface WatchConfiguration {

    @AttributeDefinition(name = "Dispatch threads", min = "1", description = "as many listeners may block at once "
            + "without delaying the others")
    int dispatchThreads() default 4;

    @AttributeDefinition(name = "Queue capacity", min = "1", description = "distinct pending paths per listener "
            + "before it overflows (and must re-read what it watches)")
    int queueCapacity() default 1024;

    @AttributeDefinition(name = "Blocked threshold (ms)", min = "1", description = "how long a listener may run "
            + "before it counts as blocked and is warned about")
    long blockedThresholdMillis() default 5000;
}
