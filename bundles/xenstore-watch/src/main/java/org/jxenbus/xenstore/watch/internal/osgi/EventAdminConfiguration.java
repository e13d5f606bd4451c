package org.jxenbus.xenstore.watch.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Which watch events go to Event Admin (PID {@value WatchEventPublisher#PID}; no configuration: none). */
@ObjectClassDefinition(name = "jxenbus watch events to Event Admin", description = "Off unless configured: the "
        + "paths whose changes are posted as Event Admin events, coalesced and bounded like any listener's.")
@interface EventAdminConfiguration {

    @AttributeDefinition(name = "Watched paths", description = "each path and its subtree")
    String[] paths();

    @AttributeDefinition(name = "Topic prefix", description = "events go to PREFIX/CHANGED and PREFIX/OVERFLOW")
    String topicPrefix() default WatchEventPublisher.DEFAULT_TOPIC_PREFIX;
}
