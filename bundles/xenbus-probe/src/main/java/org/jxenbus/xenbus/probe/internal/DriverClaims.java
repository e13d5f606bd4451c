package org.jxenbus.xenbus.probe.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.device.XenbusDriver;
import org.jxenbus.xenstore.api.watch.WatchService;

/**
 * Which driver drives which type on one bus, and the bindings of devices to them. One driver per type at a time
 * (the first claim); later claims of the type wait in arrival order and take over when it goes. Confined to the
 * bus's thread.
 */
final class DriverClaims {

    private static final Logger LOG = System.getLogger(DriverClaims.class.getName());

    private final XenstoreService store;
    private final WatchService watches;
    private final CallbackPool pool;
    private final Map<String, Deque<DriverClaim>> byType = new HashMap<>();
    private final Map<String, DeviceBinding> bindings = new HashMap<>();

    DriverClaims(XenstoreService store, WatchService watches, CallbackPool pool) {
        this.store = store;
        this.watches = watches;
        this.pool = pool;
    }

    /** Adds a claim; where it is the first for a type, offers it the type's devices. */
    void add(DriverClaim claim, Collection<DeviceRecord> devices) {
        if (!claim.active()) {
            return; // released before the bus got to it
        }
        for (String type : claim.types()) {
            Deque<DriverClaim> queue = byType.computeIfAbsent(type, t -> new ArrayDeque<>());
            queue.add(claim);
            if (queue.peekFirst() == claim) {
                bindAll(claim, type, devices);
            } else {
                LOG.log(Level.INFO, claim.driver() + " waits for type " + type + ": " + queue.peekFirst().driver()
                        + " drives it");
            }
        }
    }

    /** Removes a claim; where it drove a type, its bindings are detached and the next claim takes over. */
    void remove(DriverClaim claim, Collection<DeviceRecord> devices) {
        for (String type : claim.types()) {
            Deque<DriverClaim> queue = byType.get(type);
            if (queue == null) {
                continue;
            }
            boolean drove = queue.peekFirst() == claim;
            queue.remove(claim);
            if (drove) {
                bindings.values().removeIf(b -> {
                    if (b.driver() == claim.driver() && b.type().equals(type)) {
                        b.detach();
                        return true;
                    }
                    return false;
                });
                if (!queue.isEmpty()) {
                    bindAll(queue.peekFirst(), type, devices);
                }
            }
            if (queue.isEmpty()) {
                byType.remove(type);
            }
        }
    }

    private void bindAll(DriverClaim claim, String type, Collection<DeviceRecord> devices) {
        for (DeviceRecord d : devices) {
            if (d.type().equals(type)) {
                bind(claim, d);
            }
        }
    }

    void added(DeviceRecord d) {
        Deque<DriverClaim> queue = byType.get(d.type());
        if (queue != null && !queue.isEmpty()) {
            bind(queue.peekFirst(), d);
        }
    }

    private void bind(DriverClaim claim, DeviceRecord d) {
        DeviceBinding b = new DeviceBinding(d, claim, store, watches, pool);
        bindings.put(d.nodename(), b);
        b.offer();
    }

    void otherendChanged(DeviceRecord d) {
        DeviceBinding b = bindings.get(d.nodename());
        if (b != null) {
            b.otherendChanged();
        }
    }

    void removed(DeviceRecord d) {
        DeviceBinding b = bindings.remove(d.nodename());
        if (b != null) {
            b.removed();
        }
    }

    /** The bus is closing: nothing more is called. */
    void detachAll() {
        bindings.values().forEach(DeviceBinding::detach);
        bindings.clear();
        byType.clear();
    }
}
