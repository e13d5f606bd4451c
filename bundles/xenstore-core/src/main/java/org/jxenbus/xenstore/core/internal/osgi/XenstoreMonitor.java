package org.jxenbus.xenstore.core.internal.osgi;

import java.lang.management.ManagementFactory;
import java.util.Map;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.jxenbus.xenstore.api.XenstoreStatus;

/** {@link XenstoreMXBean} over a {@link XenstoreStatus}; each attribute read is a fresh snapshot. */
final class XenstoreMonitor implements XenstoreMXBean {

    private static final System.Logger LOG = System.getLogger(XenstoreMonitor.class.getName());

    private final XenstoreStatus status;

    private XenstoreMonitor(XenstoreStatus status) {
        this.status = status;
    }

    /** Registers a monitor of {@code status}; returns what unregisters it (a no-op if JMX refused). */
    static Runnable register(XenstoreStatus status) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new XenstoreMonitor(status), name);
            return () -> {
                try {
                    server.unregisterMBean(name);
                } catch (JMException gone) {
                    // already unregistered
                }
            };
        } catch (JMException e) {
            LOG.log(System.Logger.Level.WARNING, "xenstore: no MBean " + OBJECT_NAME + ": " + e.getMessage());
            return () -> { };
        }
    }

    @Override
    public String getStore() {
        return status.store();
    }

    @Override
    public String getTransport() {
        return status.transport();
    }

    @Override
    public boolean isSimulated() {
        return status.simulated();
    }

    @Override
    public long getTransportSwaps() {
        return status.transportSwaps();
    }

    @Override
    public int getInFlight() {
        return status.statistics().inFlight();
    }

    @Override
    public int getQueued() {
        return status.statistics().queued();
    }

    @Override
    public long getRequestsSent() {
        return status.statistics().requestsSent();
    }

    @Override
    public long getRepliesMatched() {
        return status.statistics().repliesMatched();
    }

    @Override
    public long getUnknownReplies() {
        return status.statistics().unknownReplies();
    }

    @Override
    public long getWatchEvents() {
        return status.statistics().watchEvents();
    }

    @Override
    public long getLateReplies() {
        return status.statistics().lateReplies();
    }

    @Override
    public long getCompensations() {
        return status.statistics().compensations();
    }

    @Override
    public long getIoFaults() {
        return status.statistics().ioFaults();
    }

    @Override
    public Map<String, Long> getRequestsByType() {
        return status.metrics().requestsByType();
    }

    @Override
    public Map<String, Long> getErrorsByName() {
        return status.metrics().errorsByName();
    }

    @Override
    public long getTimeouts() {
        return status.metrics().timeouts();
    }

    @Override
    public long getOutcomeUnknown() {
        return status.metrics().outcomeUnknown();
    }

    @Override
    public long getLatencyP50Micros() {
        return status.metrics().latencyP50Micros();
    }

    @Override
    public long getLatencyP90Micros() {
        return status.metrics().latencyP90Micros();
    }

    @Override
    public long getLatencyP99Micros() {
        return status.metrics().latencyP99Micros();
    }

    @Override
    public long getLatencyMaxMicros() {
        return status.metrics().latencyMaxMicros();
    }

    @Override
    public Map<String, Long> getTransportCounters() {
        return status.statistics().transportCounters();
    }
}
