package org.jxenbus.transport.ring.fake;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ports bound through one fake event-channel device: local port → (domain, remote port). Local ports are
 * the lowest free number from 1 up, as the shim and Xen allocate them. Lookups read an immutable snapshot, so
 * the awaiting thread never waits for a bind.
 *
 * <p>Thread-safe.
 */
final class PortTable {

    /** What a local port is bound to; {@code remotePort} is 0 for a port bound unbound (the peer's is unknown). */
    record Binding(int port, int domid, int remotePort) {
    }

    private static final int[] NONE = new int[0];

    private volatile Snapshot snapshot = new Snapshot(new TreeMap<>());

    /** Binds the lowest free local port to {@code remotePort} of {@code domid}. */
    synchronized int bind(int domid, int remotePort) {
        TreeMap<Integer, Binding> next = new TreeMap<>(snapshot.byPort);
        int port = 1;
        while (next.containsKey(port)) {
            port++;
        }
        next.put(port, new Binding(port, domid, remotePort));
        snapshot = new Snapshot(next);
        return port;
    }

    /** Frees {@code port}; returns what it was bound to, or null if it was not bound. */
    synchronized Binding unbind(int port) {
        TreeMap<Integer, Binding> next = new TreeMap<>(snapshot.byPort);
        Binding removed = next.remove(port);
        if (removed != null) {
            snapshot = new Snapshot(next);
        }
        return removed;
    }

    /** Frees every port. */
    synchronized void clear() {
        snapshot = new Snapshot(new TreeMap<>());
    }

    /** The binding of {@code port}, or null. */
    Binding get(int port) {
        return snapshot.byPort.get(port);
    }

    /** The local ports bound to domain {@code domid}, ascending; empty if none. */
    int[] portsOf(int domid) {
        return snapshot.byDomid.getOrDefault(domid, NONE);
    }

    /** Every bound local port, ascending. */
    int[] all() {
        return snapshot.all;
    }

    private static final class Snapshot {
        final Map<Integer, Binding> byPort;
        final Map<Integer, int[]> byDomid;
        final int[] all;

        Snapshot(TreeMap<Integer, Binding> byPort) {
            this.byPort = byPort;
            this.all = byPort.keySet().stream().mapToInt(Integer::intValue).toArray();
            Map<Integer, int[]> domids = new TreeMap<>();
            for (Binding b : byPort.values()) {
                int[] old = domids.getOrDefault(b.domid(), NONE);
                int[] grown = Arrays.copyOf(old, old.length + 1);
                grown[old.length] = b.port();
                domids.put(b.domid(), grown);
            }
            this.byDomid = domids;
        }
    }
}
