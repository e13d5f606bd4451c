package org.jxenbus.xenstore.sim.internal.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A connection's watches, in the order they were set (xenstored fires a connection's watches in that order),
 * indexed by their node: a change of a node looks up the watches on it and on the paths above it, a few map
 * look-ups however many watches the connection holds, where xenstored compares the change with every watch.
 * Engine thread only.
 */
final class ConnectionWatches {

    /** Every watch, in the order set, with its place in that order. */
    private final Map<Watch, Long> order = new LinkedHashMap<>();
    private final Map<String, List<Watch>> byNode = new HashMap<>();
    private long added;

    boolean isEmpty() {
        return order.isEmpty();
    }

    /** The watch on {@code node} with {@code token}, or null. */
    Watch find(String node, String token) {
        for (Watch w : byNode.getOrDefault(node, List.of())) {
            if (w.token().equals(token)) {
                return w;
            }
        }
        return null;
    }

    void add(Watch w) {
        order.put(w, added++);
        byNode.computeIfAbsent(w.node(), n -> new ArrayList<>(1)).add(w);
    }

    void remove(Watch w) {
        if (order.remove(w) == null) {
            return;
        }
        List<Watch> same = byNode.get(w.node());
        same.remove(w);
        if (same.isEmpty()) {
            byNode.remove(w.node());
        }
    }

    /** The watch set first; the connection has one. */
    Watch first() {
        return order.keySet().iterator().next();
    }

    /** Every watch, in the order set; a copy. */
    List<Watch> all() {
        return new ArrayList<>(order.keySet());
    }

    /** The watches on exactly {@code name}, in the order set; a copy. */
    List<Watch> on(String name) {
        return new ArrayList<>(byNode.getOrDefault(name, List.of()));
    }

    /**
     * The watches that a change of {@code name} may fire, in the order set; a copy: those on {@code name}, on
     * each path above it, and on {@code /} for an absolute name. Whether each fires (its depth) is the caller's
     * test; every watch whose node {@code name} is a child of is among them.
     */
    List<Watch> onOrAbove(String name) {
        List<Watch> found = on(name);
        for (int slash = name.indexOf('/', 1); slash > 0; slash = name.indexOf('/', slash + 1)) {
            found.addAll(byNode.getOrDefault(name.substring(0, slash), List.of()));
        }
        if (name.startsWith("/") && name.length() > 1) {
            found.addAll(byNode.getOrDefault("/", List.of()));
        }
        if (found.size() > 1) {
            found.sort(Comparator.comparingLong(order::get));
        }
        return found;
    }
}
