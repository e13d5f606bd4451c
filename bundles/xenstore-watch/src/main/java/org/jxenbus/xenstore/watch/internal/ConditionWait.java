package org.jxenbus.xenstore.watch.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jxenbus.xenstore.api.Permissions;
import org.jxenbus.xenstore.api.XenstoreInterruptedException;
import org.jxenbus.xenstore.api.XenstoreOperations;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.XenstoreTimeoutException;
import org.jxenbus.xenstore.api.watch.Condition;
import org.jxenbus.xenstore.api.watch.Watch;
import org.jxenbus.xenstore.api.watch.WatchService;

/**
 * One {@link WatchService#waitFor}: evaluate, watch every node the evaluation read, and evaluate again
 * after any of them changes, until a value or the deadline. The set of watched nodes follows what the
 * latest evaluation read.
 */
final class ConditionWait<T> {

    private final WatchService watches;
    private final XenstoreService store;
    private final Condition<T> condition;
    private final long deadline;
    private final Duration timeout;
    private final Semaphore changed = new Semaphore(0);
    private final Map<String, Watch> watched = new HashMap<>();

    ConditionWait(WatchService watches, XenstoreService store, Condition<T> condition, Duration timeout) {
        this.watches = watches;
        this.store = store;
        this.condition = condition;
        this.timeout = timeout;
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    T run() {
        try {
            while (true) {
                changed.drainPermits();
                Set<String> read = new HashSet<>();
                T value = condition.evaluate(new Recording(store, read));
                if (value != null) {
                    return value;
                }
                follow(read);
                long left = deadline - System.nanoTime();
                if (left <= 0 || !changed.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    throw new XenstoreTimeoutException("waitFor: condition not met within " + timeout.toMillis()
                            + " ms (watching " + watched.keySet() + ")", null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenstoreInterruptedException("waitFor: interrupted", e);
        } finally {
            watched.values().forEach(Watch::close);
        }
    }

    /** Watches exactly the nodes the latest evaluation read. */
    private void follow(Set<String> read) {
        watched.entrySet().removeIf(e -> {
            if (!read.contains(e.getKey())) {
                e.getValue().close();
                return true;
            }
            return false;
        });
        for (String path : read) {
            watched.computeIfAbsent(path, p -> watches.watch(p, 0, changedPath -> changed.release()));
        }
    }

    /** The store's blocking verbs, remembering every path read. */
    private static final class Recording implements XenstoreOperations {
        private final XenstoreOperations store;
        private final Set<String> read;

        Recording(XenstoreOperations store, Set<String> read) {
            this.store = store;
            this.read = read;
        }

        private <R> R reading(String path, java.util.function.Supplier<R> op) {
            read.add(path);
            return op.get();
        }

        @Override
        public String read(String path) {
            return reading(path, () -> store.read(path));
        }

        @Override
        public byte[] readBytes(String path) {
            return reading(path, () -> store.readBytes(path));
        }

        @Override
        public List<String> directory(String path) {
            read.add(path);
            List<String> names = store.directory(path);
            return names;
        }

        @Override
        public boolean exists(String path) {
            return reading(path, () -> store.exists(path));
        }

        @Override
        public Permissions getPermissions(String path) {
            return reading(path, () -> store.getPermissions(path));
        }

        @Override
        public String getDomainPath(int domid) {
            return store.getDomainPath(domid);
        }

        @Override
        public void write(String path, String value) {
            throw readOnly();
        }

        @Override
        public void write(String path, byte[] value) {
            throw readOnly();
        }

        @Override
        public void mkdir(String path) {
            throw readOnly();
        }

        @Override
        public void rm(String path) {
            throw readOnly();
        }

        @Override
        public void setPermissions(String path, Permissions permissions) {
            throw readOnly();
        }

        private static UnsupportedOperationException readOnly() {
            return new UnsupportedOperationException("a waitFor condition only reads");
        }
    }
}
