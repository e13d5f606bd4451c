package org.jxenbus.guest.agent.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.XenstoreOperations;

/**
 * Writes the agent's nodes, only those whose value changed, and removes those it no longer publishes; then
 * {@code data/updated} if anything changed.
 *
 * <p>Normally it compares with what it wrote itself (as xe-guest-utilities' {@code CachedXenStore.Write} does),
 * so an unchanged refresh sends no request at all. After {@link #forget()} (the first publication, a resumed or
 * replaced connection, a failed publication) it compares with the store instead: it reads each node, writes only
 * those that differ, and removes vif entries the store holds but the guest no longer has (xen-guest-agent clears
 * {@code attr/vif} at start for the same reason). Not thread-safe: owned by the refresh.
 */
final class NodePublisher {

    private final XenstoreOperations xs;
    private final DomainHome home;
    private final Map<String, String> written = new HashMap<>();
    private boolean compareWithStore = true;

    NodePublisher(XenstoreOperations xs, DomainHome home) {
        this.xs = xs;
        this.home = home;
    }

    /** The next publication compares with the store, not with what was written before. */
    void forget() {
        compareWithStore = true;
    }

    /** What this publisher last wrote under {@code part} (kept when a part of the facts cannot be read). */
    Map<String, String> published(GuestNodes.Part part) {
        Map<String, String> kept = new HashMap<>();
        written.forEach((path, value) -> {
            if (part.owns(path)) {
                kept.put(path, value);
            }
        });
        return kept;
    }

    /**
     * Makes the store hold {@code nodes} (relative paths), then {@code data/updated} = {@code stamp} if anything
     * changed (or, comparing with the store, if it is missing). On any failure the next publication compares with
     * the store again.
     */
    Changes publish(SortedMap<String, String> nodes, Supplier<String> stamp) {
        boolean fromStore = compareWithStore;
        compareWithStore = true;
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, String> node : nodes.entrySet()) {
            String path = node.getKey();
            String current = fromStore ? readOrNull(path) : written.get(path);
            if (!node.getValue().equals(current)) {
                written.remove(path);
                xs.write(home.path(path), node.getValue());
                changed.add(path);
            }
            written.put(path, node.getValue());
        }
        List<String> removed = removeStale(nodes, fromStore);
        Changes changes = new Changes(changed, removed);
        if (changes.any() || (fromStore && !xs.exists(home.path(GuestNodes.UPDATED)))) {
            xs.write(home.path(GuestNodes.UPDATED), stamp.get());
        }
        compareWithStore = false;
        return changes;
    }

    private List<String> removeStale(SortedMap<String, String> nodes, boolean fromStore) {
        Set<String> stale = new TreeSet<>(written.keySet());
        stale.removeAll(nodes.keySet());
        if (fromStore) {
            stale.addAll(storeVifEntries());
            stale.removeAll(nodes.keySet());
        }
        List<String> removed = new ArrayList<>();
        for (String path : stale) {
            String target = removalTarget(path, nodes.keySet());
            if (!isWithin(target, removed)) {
                rmIfParentExists(target);
                removed.add(target);
            }
            written.remove(path);
        }
        return List.copyOf(removed);
    }

    /**
     * The node to remove for a stale {@code path}: under {@code attr/vif}, its highest ancestor below
     * {@code attr/vif} with nothing published left beneath it (a vif the guest no longer has goes whole, a family
     * without addresses goes with its last one); elsewhere the path itself.
     */
    private static String removalTarget(String path, Set<String> published) {
        String prefix = GuestNodes.VIF_ATTR + "/";
        if (!path.startsWith(prefix)) {
            return path;
        }
        int end = prefix.length();
        while (true) {
            int slash = path.indexOf('/', end);
            String candidate = slash < 0 ? path : path.substring(0, slash);
            if (slash < 0 || !hasDescendant(candidate, published)) {
                return candidate;
            }
            end = slash + 1;
        }
    }

    private static boolean hasDescendant(String node, Set<String> paths) {
        return paths.stream().anyMatch(p -> p.startsWith(node + "/"));
    }

    /** Whether {@code node} is one of {@code roots} or beneath one. */
    private static boolean isWithin(String node, List<String> roots) {
        return roots.stream().anyMatch(r -> node.equals(r) || node.startsWith(r + "/"));
    }

    /** {@code attr/vif/<id>} for ids with nothing else, and {@code attr/vif/<id>/<family>/<slot>} leaves. */
    private Set<String> storeVifEntries() {
        Set<String> entries = new TreeSet<>();
        for (String id : listOrEmpty(GuestNodes.VIF_ATTR)) {
            String vif = GuestNodes.VIF_ATTR + "/" + id;
            List<String> families = listOrEmpty(vif);
            if (families.isEmpty()) {
                entries.add(vif);
            }
            for (String family : families) {
                List<String> slots = listOrEmpty(vif + "/" + family);
                if (slots.isEmpty()) {
                    entries.add(vif + "/" + family);
                }
                for (String slot : slots) {
                    entries.add(vif + "/" + family + "/" + slot);
                }
            }
        }
        return entries;
    }

    private String readOrNull(String path) {
        try {
            return xs.read(home.path(path));
        } catch (NoSuchNodeException e) {
            return null;
        }
    }

    private List<String> listOrEmpty(String path) {
        try {
            return xs.directory(home.path(path));
        } catch (NoSuchNodeException e) {
            return List.of();
        }
    }

    private void rmIfParentExists(String path) {
        try {
            xs.rm(home.path(path));
        } catch (NoSuchNodeException e) {
            // its parent went already (the toolstack removed it): what was to be removed is gone
        }
    }
}
