package org.jxenbus.xenbus.probe.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jxenbus.xenstore.api.AccessDeniedException;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.api.XenstoreInterruptedException;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.device.XenbusBus;
import org.jxenbus.xenstore.api.device.XenbusDevice;
import org.jxenbus.xenstore.api.device.XenbusDriver;
import org.jxenbus.xenstore.api.watch.Watch;
import org.jxenbus.xenstore.api.watch.WatchListener;
import org.jxenbus.xenstore.api.watch.WatchService;

/**
 * One xenbus bus (Linux's {@code xenbus_probe_frontend.c} or {@code _backend.c}): turns the nodes under its root
 * into devices, tells a {@link DeviceListener} about them and binds them to claimed drivers.
 *
 * <p><b>How it finds devices.</b> One watch on the root ({@code device} or {@code backend}, relative to the
 * domain's home) covers the whole subtree, as in Linux. Its initial event, which fires again after the connection
 * is re-established on a new transport (the core sets every watch again), and any overflow, re-enumerate the bus
 * with DIRECTORY and compare with what is known: devices gone are removed, new ones added, states re-read. Other
 * events are truncated to the device's nodename: an unknown device is probed, a known one's {@code state} is
 * re-read, a node that is gone removes every device at or under it. A device is complete, and only then added,
 * when its {@code state} node and both other-end nodes ({@code backend} and {@code backend-id}, or {@code frontend}
 * and {@code frontend-id}) exist and are non-empty. Each device has one more watch, on {@code <otherend>/state}.
 *
 * <p><b>Threads.</b> Watch listeners only queue work ({@link BusWork}); one thread per bus,
 * {@code xenbus-<bus>}, reads the store, keeps the devices and calls the listener; drivers are called on a
 * {@link CallbackPool}. The bus writes nothing to the store: only drivers do, through their {@link DeviceBinding}.
 * Thread-safe; {@link #close} stops and joins every thread it started.
 */
public final class DeviceBus implements AutoCloseable {

    private static final Logger LOG = System.getLogger(DeviceBus.class.getName());

    private final XenbusBus bus;
    private final XenstoreService store;
    private final WatchService watches;
    private final BusOptions options;
    private final DeviceListener listener;
    private final BusWork work = new BusWork();
    private final CallbackPool pool;
    private final DriverClaims claims;
    private final Map<String, DeviceRecord> devices = new ConcurrentHashMap<>(); // written by the bus thread only
    private final Thread thread;
    private final Watch rootWatch;

    private DeviceBus(XenbusBus bus, XenstoreService store, WatchService watches, BusOptions options,
            DeviceListener listener) {
        this.bus = bus;
        this.store = store;
        this.watches = watches;
        this.options = options;
        this.listener = listener;
        this.pool = new CallbackPool(bus.value(), options.callbackThreads());
        this.claims = new DriverClaims(store, watches, pool);
        this.thread = new Thread(this::run, "xenbus-" + bus.value());
        thread.setDaemon(true);
        thread.start();
        Watch w;
        try {
            w = watches.watch(bus.root(), new WatchListener() {
                @Override
                public void changed(String path) {
                    if (path.equals(bus.root())) {
                        work.rescan(); // the initial event, also after a new connection
                    } else {
                        work.path(path);
                    }
                }

                @Override
                public void overflowed() {
                    work.rescan();
                }
            });
        } catch (RuntimeException | Error e) {
            stopThreads();
            throw e;
        }
        this.rootWatch = w;
    }

    /**
     * Starts a bus: sets the root watch (blocking until the server acknowledged it), whose initial event makes the
     * bus thread enumerate the devices already there.
     *
     * @throws XenstoreException if the watch cannot be set
     */
    public static DeviceBus start(XenbusBus bus, XenstoreService store, WatchService watches, BusOptions options,
            DeviceListener listener) {
        return new DeviceBus(Objects.requireNonNull(bus, "bus"), Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(watches, "watches"), Objects.requireNonNull(options, "options"),
                Objects.requireNonNull(listener, "listener"));
    }

    /** The bus. */
    public XenbusBus bus() {
        return bus;
    }

    /**
     * Claims {@code types} for {@code driver}: it is offered every device of those types, present and future,
     * unless another driver claimed the type first (it then waits for that one to go). Close the claim to release.
     *
     * @throws IllegalArgumentException if a type is one the kernel drives here (the options' kernel-driven types),
     *         or none is given
     */
    public DriverClaim claim(XenbusDriver driver, Set<String> types) {
        if (types.isEmpty()) {
            throw new IllegalArgumentException(driver + " claims no type on the " + bus.value() + " bus");
        }
        for (String t : types) {
            if (options.kernelDrivenTypes().contains(t)) {
                throw new IllegalArgumentException(driver + " claims " + bus.value() + " devices of type " + t
                        + ", which the kernel drives in this domain; refused (allow it by configuring the bus's "
                        + "kernel-driven types without " + t + ")");
            }
        }
        DriverClaim claim = new DriverClaim(driver, types,
                c -> work.task(() -> claims.remove(c, devices.values())));
        work.task(() -> claims.add(claim, devices.values()));
        return claim;
    }

    /** The devices known now. */
    public Collection<XenbusDevice> devices() {
        return List.copyOf(devices.values());
    }

    /** Whether the bus thread has nothing left to do at this moment (tests wait for it). */
    boolean idle() {
        return work.idle();
    }

    /**
     * Stops: the root watch and every device's watch are closed, no driver is called any more (running callbacks
     * get 10 s to finish), the bus thread is joined. The listener is not told about removals: the devices did not
     * go, the bus did. Idempotent.
     */
    @Override
    public void close() {
        rootWatch.close();
        stopThreads();
    }

    private void stopThreads() {
        work.close();
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (DeviceRecord d : devices.values()) {
            d.remove();
        }
        claims.detachAll();
        pool.close();
    }

    private void run() {
        long backoff = 0;
        while (true) {
            BusWork.Batch batch;
            try {
                batch = work.take();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) {
                return;
            }
            try {
                handle(batch);
                backoff = 0;
            } catch (XenstoreInterruptedException e) {
                return; // closing
            } catch (XenstoreException e) {
                // Nobody to tell but the log: the bus enumerates again once the store answers.
                backoff = Math.min(30_000, Math.max(500, backoff * 2));
                LOG.log(Level.WARNING, "xenbus " + bus.value() + ": " + e.getMessage() + "; enumerating again in "
                        + backoff + " ms");
                work.rescan();
                if (!sleep(backoff)) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "xenbus " + bus.value() + ": " + e, e); // a defect: go on with the next event
            }
        }
    }

    private void handle(BusWork.Batch batch) {
        batch.tasks().forEach(Runnable::run);
        if (batch.rescan()) {
            rescan();
        }
        for (String path : batch.paths()) {
            nodeChanged(path);
        }
        for (String nodename : batch.otherends()) {
            DeviceRecord d = devices.get(nodename);
            if (d != null) {
                refreshOtherend(d);
            }
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Enumerates the bus and makes the known devices match. */
    private void rescan() {
        Set<String> found = new HashSet<>();
        enumerate(bus.root(), bus.levels(), found);
        for (DeviceRecord d : List.copyOf(devices.values())) {
            if (!found.contains(d.nodename())) {
                remove(d);
            }
        }
        for (String nodename : found) {
            DeviceRecord d = devices.get(nodename);
            if (d == null) {
                probe(nodename);
            } else if (!sameOtherend(d)) {
                remove(d); // the toolstack re-pointed it: a new device under an old name
                probe(nodename);
            } else {
                refreshOwn(d);
                refreshOtherend(d);
            }
        }
    }

    private void enumerate(String path, int levels, Set<String> found) {
        if (levels == 0) {
            found.add(path);
            return;
        }
        for (String child : children(path)) {
            enumerate(path + "/" + child, levels - 1, found);
        }
    }

    private List<String> children(String path) {
        try {
            return store.directory(path);
        } catch (NoSuchNodeException gone) {
            return List.of();
        }
    }

    /** A watch event under the root (not the root itself). */
    private void nodeChanged(String path) {
        List<String> below = below(path);
        if (below == null) {
            return;
        }
        if (below.size() < bus.levels()) {
            // device/vif or backend/vif/5: only its removal matters here; creations come with their devices' events
            if (!store.exists(path)) {
                removeAtOrUnder(path);
            }
            return;
        }
        String nodename = bus.root() + "/" + String.join("/", below.subList(0, bus.levels()));
        DeviceRecord d = devices.get(nodename);
        if (d == null) {
            probe(nodename);
        } else if (below.size() == bus.levels()
                || below.size() == bus.levels() + 1 && below.get(bus.levels()).equals("state")) {
            refreshOwn(d);
        }
    }

    /** The path's components below the root, or null if it is not under the root. */
    private List<String> below(String path) {
        String prefix = bus.root() + "/";
        if (!path.startsWith(prefix)) {
            return null;
        }
        List<String> parts = new ArrayList<>(List.of(path.substring(prefix.length()).split("/")));
        parts.removeIf(String::isEmpty);
        return parts;
    }

    /** Adds the device at {@code nodename} if it is complete; otherwise waits for its next event. */
    private void probe(String nodename) {
        String state = readOrNull(nodename + "/state");
        String otherend = readOrNull(nodename + "/" + bus.otherendKey());
        String otherendId = readOrNull(nodename + "/" + bus.otherendIdKey());
        if (state == null || otherend == null || otherend.isEmpty() || otherendId == null || otherendId.isEmpty()) {
            LOG.log(Level.DEBUG, () -> "xenbus " + bus.value() + ": " + nodename + " is not complete yet");
            return;
        }
        int domid;
        try {
            domid = Integer.parseInt(otherendId.trim());
        } catch (NumberFormatException e) {
            LOG.log(Level.WARNING, "xenbus " + bus.value() + ": " + nodename + " has " + bus.otherendIdKey() + " \""
                    + otherendId + "\", not a domain id; ignored until it changes");
            return;
        }
        List<String> below = below(nodename);
        DeviceRecord d = new DeviceRecord(bus, below.get(0), below.get(below.size() - 1), nodename, otherend, domid,
                XenbusState.parse(state), readState(otherend));
        devices.put(nodename, d);
        try {
            d.otherendWatch(watches.watch(otherend + "/state", 0, new WatchListener() {
                @Override
                public void changed(String path) {
                    work.otherend(nodename);
                }

                @Override
                public void overflowed() {
                    work.otherend(nodename);
                }
            }));
        } catch (XenstoreException e) {
            LOG.log(Level.WARNING, "xenbus " + bus.value() + ": cannot watch " + otherend + "/state for " + nodename
                    + ": " + e.getMessage() + "; its other end's state is read on rescans only");
        }
        listener.added(d);
        claims.added(d);
    }

    private boolean sameOtherend(DeviceRecord d) {
        return d.otherend().equals(readOrNull(d.nodename() + "/" + bus.otherendKey()))
                && Integer.toString(d.otherendId()).equals(trimmed(readOrNull(d.nodename() + "/" + bus.otherendIdKey())));
    }

    private static String trimmed(String s) {
        return s == null ? null : s.trim();
    }

    private void refreshOwn(DeviceRecord d) {
        String state = readOrNull(d.nodename() + "/state");
        if (state == null && !store.exists(d.nodename())) {
            remove(d);
            return;
        }
        if (d.state(XenbusState.parse(state))) {
            listener.changed(d);
        }
    }

    private void refreshOtherend(DeviceRecord d) {
        if (d.otherendState(readState(d.otherend()))) {
            listener.changed(d);
            claims.otherendChanged(d);
        }
    }

    private void removeAtOrUnder(String path) {
        for (DeviceRecord d : List.copyOf(devices.values())) {
            if (d.nodename().equals(path) || d.nodename().startsWith(path + "/")) {
                remove(d);
            }
        }
    }

    private void remove(DeviceRecord d) {
        devices.remove(d.nodename());
        d.remove();
        listener.removed(d);
        claims.removed(d);
    }

    /** {@code <path>/state} as Linux's {@code xenbus_read_driver_state}: Unknown if missing or unreadable. */
    private XenbusState readState(String path) {
        return XenbusState.parse(readOrNull(path + "/state"));
    }

    private String readOrNull(String path) {
        try {
            return store.read(path);
        } catch (NoSuchNodeException | AccessDeniedException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "xenbus " + bus.value() + " bus (" + devices.size() + " devices)";
    }
}
