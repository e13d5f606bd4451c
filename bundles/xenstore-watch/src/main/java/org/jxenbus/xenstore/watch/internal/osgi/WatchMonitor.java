package org.jxenbus.xenstore.watch.internal.osgi;

import java.lang.management.ManagementFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.jxenbus.xenstore.watch.internal.SharedWatchService;

/** {@link WatchMXBean} over the shared watch service; each attribute read is a fresh snapshot. */
final class WatchMonitor implements WatchMXBean {

    private static final System.Logger LOG = System.getLogger(WatchMonitor.class.getName());

    private final SharedWatchService service;

    private WatchMonitor(SharedWatchService service) {
        this.service = service;
    }

    /** Registers a monitor of {@code service}; returns what unregisters it (a no-op if JMX refused). */
    static Runnable register(SharedWatchService service) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new WatchMonitor(service), name);
            return () -> {
                try {
                    server.unregisterMBean(name);
                } catch (JMException gone) {
                    // already unregistered
                }
            };
        } catch (JMException e) {
            LOG.log(System.Logger.Level.WARNING, "watch service: no MBean " + OBJECT_NAME + ": " + e.getMessage());
            return () -> { };
        }
    }

    @Override
    public int getServerWatches() {
        return service.statistics().serverWatches();
    }

    @Override
    public int getListeners() {
        return service.statistics().listeners();
    }

    @Override
    public long getEventsReceived() {
        return service.statistics().eventsReceived();
    }

    @Override
    public long getEventsDelivered() {
        return service.statistics().eventsDelivered();
    }

    @Override
    public long getEventsCoalesced() {
        return service.statistics().eventsCoalesced();
    }

    @Override
    public long getOverflows() {
        return service.statistics().overflows();
    }

    @Override
    public long getEventsAfterClose() {
        return service.statistics().eventsAfterClose();
    }

    @Override
    public long getDispatchWaits() {
        return service.statistics().dispatchWaits();
    }

    @Override
    public int getBlockedListeners() {
        return service.statistics().blockedListeners();
    }

    @Override
    public int getQueuedEvents() {
        return service.queueDepths().total();
    }

    @Override
    public int getDeepestQueue() {
        return service.queueDepths().deepest();
    }
}
