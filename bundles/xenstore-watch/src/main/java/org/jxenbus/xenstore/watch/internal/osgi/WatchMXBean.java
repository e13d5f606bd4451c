package org.jxenbus.xenstore.watch.internal.osgi;

/**
 * The runtime's shared watch service over JMX, as {@value #OBJECT_NAME}: server watches, listeners, events
 * received, delivered and coalesced, overflows, dispatch waits, blocked listeners, and the listeners' queue
 * depths now. Read-only. Public only for JMX; the package is not exported.
 */
public interface WatchMXBean {

    /** Where it is registered. */
    String OBJECT_NAME = "org.jxenbus:type=WatchService,name=shared";

    int getServerWatches();

    int getListeners();

    long getEventsReceived();

    long getEventsDelivered();

    long getEventsCoalesced();

    long getOverflows();

    long getEventsAfterClose();

    long getDispatchWaits();

    int getBlockedListeners();

    int getQueuedEvents();

    int getDeepestQueue();
}
