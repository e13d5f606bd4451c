package org.jxenbus.xenbus.probe.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.jxenbus.xenstore.api.AccessDeniedException;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.XenbusState;
import org.jxenbus.xenstore.api.XenstoreOperations;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.device.BoundDevice;
import org.jxenbus.xenstore.api.device.XenbusBus;
import org.jxenbus.xenstore.api.device.XenbusDriver;
import org.jxenbus.xenstore.api.watch.Watch;
import org.jxenbus.xenstore.api.watch.WatchListener;
import org.jxenbus.xenstore.api.watch.WatchService;

/**
 * One device bound to one driver: the driver's {@link BoundDevice} and the order of its callbacks. The bus thread
 * calls {@link #offer}, {@link #otherendChanged}, {@link #removed} and {@link #detach}; the callbacks themselves run
 * on the pool through this binding's {@link SerialCallbacks}.
 */
final class DeviceBinding implements BoundDevice {

    private static final Logger LOG = System.getLogger(DeviceBinding.class.getName());

    private final DeviceRecord device;
    private final DriverClaim claim;
    private final XenbusDriver driver;
    private final XenstoreService store;
    private final WatchService watches;
    private final SerialCallbacks callbacks;
    private final Set<Watch> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean otherendPending = new AtomicBoolean();
    private volatile boolean detached;
    private boolean probed; // callback threads only (one at a time, in order)
    private volatile XenbusState delivered; // the other end's state as the driver was told it; null before the probe

    DeviceBinding(DeviceRecord device, DriverClaim claim, XenstoreService store, WatchService watches,
            CallbackPool pool) {
        this.device = device;
        this.claim = claim;
        this.driver = claim.driver();
        this.store = store;
        this.watches = watches;
        this.callbacks = new SerialCallbacks(pool, driver + " on " + device.nodename());
    }

    XenbusDriver driver() {
        return driver;
    }

    /** Queues the probe; it is skipped if the device goes (or the driver does) before it runs. */
    void offer() {
        callbacks.run("probe", () -> {
            if (!live() || device.removed()) {
                return;
            }
            delivered = device.otherendState();
            driver.probe(this);
            probed = true;
        });
    }

    /** Queues one other-end callback unless one is still pending: it delivers the state current when it runs. */
    void otherendChanged() {
        if (!otherendPending.compareAndSet(false, true)) {
            return;
        }
        callbacks.run("otherendChanged", () -> {
            otherendPending.set(false);
            XenbusState now = device.otherendState();
            if (probed && live() && !device.removed() && now != delivered) {
                delivered = now;
                driver.otherendChanged(this, now);
            }
        });
    }

    /** The device went: its watches close now, remove() runs after every callback already queued. */
    void removed() {
        closeWatches();
        callbacks.run("remove", () -> {
            if (probed && live()) {
                driver.remove(this);
            }
        });
    }

    /** Whether the driver may still be called: neither its claim nor this binding was released. */
    private boolean live() {
        return !detached && claim.active();
    }

    /** The driver went: nothing more is called. */
    void detach() {
        detached = true;
        closeWatches();
    }

    private void closeWatches() {
        for (Watch w : Set.copyOf(open)) {
            w.close();
        }
    }

    @Override
    public boolean switchState(XenbusState state) {
        Objects.requireNonNull(state, "state");
        String code = Integer.toString(state.code());
        return whilePresent((tx, current) -> {
            if (!code.equals(current.trim())) {
                tx.write(statePath(), code);
            }
        });
    }

    @Override
    public boolean publish(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return whilePresent((tx, current) -> copy.forEach((k, v) -> tx.write(own(k), v)));
    }

    /**
     * Runs {@code writes} in a transaction that first reads the state node (handing its value over); nothing is
     * written if it is gone.
     */
    private boolean whilePresent(BiConsumer<XenstoreOperations, String> writes) {
        return store.transaction(tx -> {
            String current;
            try {
                current = tx.read(statePath());
            } catch (NoSuchNodeException gone) {
                return false; // don't resurrect the device's directory
            }
            writes.accept(tx, current);
            return true;
        });
    }

    @Override
    public Optional<String> read(String key) {
        return readIfPresent(own(key));
    }

    @Override
    public Optional<String> readOtherend(String key) {
        return readIfPresent(join(device.otherend(), key));
    }

    private Optional<String> readIfPresent(String path) {
        try {
            return Optional.of(store.read(path));
        } catch (NoSuchNodeException | AccessDeniedException e) {
            return Optional.empty();
        }
    }

    @Override
    public void error(int errno, String message) {
        String text = errno + " " + message;
        LOG.log(Level.WARNING, device.nodename() + ": " + text);
        store.write("error/" + device.nodename() + "/error", text);
    }

    @Override
    public void fatal(int errno, String message) {
        error(errno, message);
        switchState(XenbusState.CLOSING);
    }

    @Override
    public Watch watch(String key, WatchListener listener) {
        return track(own(key), listener);
    }

    @Override
    public Watch watchOtherend(String key, WatchListener listener) {
        return track(join(device.otherend(), key), listener);
    }

    private Watch track(String path, WatchListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (!live() || device.removed()) {
            throw new IllegalStateException(device.nodename() + " is no longer bound to " + driver);
        }
        Watch w = watches.watch(path, new WatchListener() {
            @Override
            public void changed(String changed) {
                callbacks.run("watch of " + path, () -> {
                    if (live()) {
                        listener.changed(changed);
                    }
                });
            }

            @Override
            public void overflowed() {
                callbacks.run("watch of " + path, () -> {
                    if (live()) {
                        listener.overflowed();
                    }
                });
            }
        });
        open.add(w); // closing it twice (the driver, then the binding) is harmless
        if (!live() || device.removed()) {
            w.close(); // raced with the device's or the driver's going
        }
        return w;
    }

    private String statePath() {
        return own("state");
    }

    private String own(String key) {
        return join(device.nodename(), key);
    }

    private static String join(String path, String key) {
        return key.isEmpty() ? path : path + "/" + key;
    }

    @Override
    public XenbusBus bus() {
        return device.bus();
    }

    @Override
    public String type() {
        return device.type();
    }

    @Override
    public String id() {
        return device.id();
    }

    @Override
    public String nodename() {
        return device.nodename();
    }

    @Override
    public String otherend() {
        return device.otherend();
    }

    @Override
    public int otherendId() {
        return device.otherendId();
    }

    @Override
    public XenbusState state() {
        return device.state();
    }

    /** As the driver was told it: at its probe, then by each {@code otherendChanged}. */
    @Override
    public XenbusState otherendState() {
        XenbusState d = delivered;
        return d == null ? device.otherendState() : d;
    }

    @Override
    public String toString() {
        return device + " bound to " + driver;
    }
}
