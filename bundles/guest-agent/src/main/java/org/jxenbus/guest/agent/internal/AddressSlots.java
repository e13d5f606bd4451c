package org.jxenbus.guest.agent.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Stable slot numbers for addresses, as xen-guest-agent's {@code get_ip_slot}: an address keeps its slot while it
 * is present; a new one takes the lowest free slot; one beyond the last slot is not published. Keyed by
 * {@code <devid>/<family>}. Not thread-safe.
 */
final class AddressSlots {

    private final int capacity;
    private final Map<String, InetAddress[]> byKey = new HashMap<>();

    AddressSlots(int capacity) {
        this.capacity = capacity;
    }

    /** Slot numbers for {@code addresses} (all present now under {@code key}), by slot. */
    SortedMap<Integer, InetAddress> assign(String key, List<InetAddress> addresses) {
        InetAddress[] slots = byKey.computeIfAbsent(key, k -> new InetAddress[capacity]);
        List<InetAddress> present = addresses.stream().distinct().toList();
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null && !present.contains(slots[i])) {
                slots[i] = null;
            }
        }
        List<InetAddress> placed = Arrays.asList(slots);
        List<InetAddress> newcomers = new ArrayList<>(present);
        newcomers.removeAll(placed);
        for (InetAddress a : newcomers) {
            int free = placed.indexOf(null);
            if (free < 0) {
                break;
            }
            slots[free] = a;
        }
        SortedMap<Integer, InetAddress> bySlot = new TreeMap<>();
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                bySlot.put(i, slots[i]);
            }
        }
        return bySlot;
    }

    /** Forgets the slots of vifs not in {@code devids}. */
    void retainVifs(Collection<String> devids) {
        byKey.keySet().removeIf(key -> !devids.contains(key.substring(0, key.indexOf('/'))));
    }
}
