package org.jxenbus.xenstore.watch.internal.osgi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jxenbus.xenstore.api.watch.Watch;
import org.jxenbus.xenstore.api.watch.WatchListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Posts watch events to Event Admin, off by default (it runs only with a configuration naming paths). Each path is
 * an ordinary listener of the shared watch service, so its events are coalesced per path while queued and bounded
 * like any listener's; an overflow is posted too, so handlers know to re-read. Events are posted (asynchronous),
 * never sent, from the watch service's dispatch threads.
 *
 * <p>Topics: {@code PREFIX/CHANGED} with properties {@code path} (the node that changed) and {@code watch} (the
 * watched path); {@code PREFIX/OVERFLOW} with {@code watch}. The default prefix is
 * {@value #DEFAULT_TOPIC_PREFIX}.
 */
@Component(configurationPid = WatchEventPublisher.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = EventAdminConfiguration.class)
public final class WatchEventPublisher {

    /** The configuration PID. */
    public static final String PID = "org.jxenbus.xenstore.watch.eventadmin";
    /** The default topic prefix. */
    public static final String DEFAULT_TOPIC_PREFIX = "org/jxenbus/xenstore/watch";

    private final List<Watch> watches = new ArrayList<>();

    /** Watches each configured path. */
    @Activate
    public WatchEventPublisher(@Reference SharedWatches shared, @Reference EventAdmin events,
            EventAdminConfiguration config) {
        String prefix = config.topicPrefix();
        for (String path : config.paths() == null ? new String[0] : config.paths()) {
            watches.add(shared.service().watch(path, new WatchListener() {
                @Override
                public void changed(String changed) {
                    events.postEvent(new Event(prefix + "/CHANGED", Map.of("path", changed, "watch", path)));
                }

                @Override
                public void overflowed() {
                    events.postEvent(new Event(prefix + "/OVERFLOW", Map.of("watch", path)));
                }
            }));
        }
    }

    @Deactivate
    void deactivate() {
        for (Watch w : watches) {
            w.close();
        }
    }
}
