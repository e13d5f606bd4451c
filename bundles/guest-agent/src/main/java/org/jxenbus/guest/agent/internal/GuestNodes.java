package org.jxenbus.guest.agent.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.jxenbus.guest.agent.MemoryFacts;
import org.jxenbus.guest.agent.OsFacts;

/**
 * The nodes the agent publishes, relative to the domain's home, with the paths and units of xe-guest-utilities
 * and xen-guest-agent (docs/guest-agent.md cites the line behind each). Not thread-safe: owned by the refresh.
 */
final class GuestNodes {

    // xe-guest-utilities mk/xe-linux-distribution write_to_output(), prefixed "data/" by
    // guestmetric_linux.go CollectOS(); xen-guest-agent xenstore_schema_std.rs publish_static().
    static final String OS_DISTRO = "data/os_distro";
    static final String OS_MAJORVER = "data/os_majorver";
    static final String OS_MINORVER = "data/os_minorver";
    static final String OS_NAME = "data/os_name";
    static final String OS_UNAME = "data/os_uname";
    // guestmetric_linux.go CollectMemory(): /proc/meminfo's kB numbers as they are (KiB).
    static final String MEMINFO_TOTAL = "data/meminfo_total";
    static final String MEMINFO_FREE = "data/meminfo_free";
    // xe-daemon.go: written after a refresh that wrote something; xapi takes the data as valid once it exists.
    static final String UPDATED = "data/updated";
    // guestmetric_linux.go getTargetXenstorePath() "attr/vif"; xenstore_schema_std.rs "attr/vif/{iface_id}".
    static final String VIF_ATTR = "attr/vif";
    // xenstore_schema_std.rs NUM_IFACE_IPS: ten slots per address family and vif.
    static final int ADDRESSES_PER_FAMILY = 10;

    /** Which part of the facts a node comes from, so a part that cannot be read keeps its nodes. */
    enum Part {
        OS("data/os_"), MEMORY("data/meminfo_"), NETWORK(VIF_ATTR + "/");

        private final String prefix;

        Part(String prefix) {
            this.prefix = prefix;
        }

        boolean owns(String path) {
            return path.startsWith(prefix);
        }
    }

    private final AddressSlots slots = new AddressSlots(ADDRESSES_PER_FAMILY);

    static SortedMap<String, String> os(OsFacts os) {
        SortedMap<String, String> nodes = new TreeMap<>();
        nodes.put(OS_DISTRO, os.distro());
        nodes.put(OS_MAJORVER, os.majorVersion());
        nodes.put(OS_MINORVER, os.minorVersion());
        nodes.put(OS_NAME, os.name());
        nodes.put(OS_UNAME, os.uname());
        return nodes;
    }

    static SortedMap<String, String> memory(MemoryFacts memory) {
        SortedMap<String, String> nodes = new TreeMap<>();
        nodes.put(MEMINFO_TOTAL, Long.toString(memory.totalKib()));
        nodes.put(MEMINFO_FREE, Long.toString(memory.freeKib()));
        return nodes;
    }

    /**
     * {@code attr/vif/<devid>/ipv4/<slot>} and {@code .../ipv6/<slot>} for each vif's addresses. An address keeps
     * its slot while it stays, so one address coming or going changes one node.
     */
    SortedMap<String, String> network(Map<String, List<InetAddress>> addressesByVif) {
        SortedMap<String, String> nodes = new TreeMap<>();
        slots.retainVifs(addressesByVif.keySet());
        addressesByVif.forEach((devid, addresses) -> {
            List<InetAddress> v4 = addresses.stream().filter(a -> a instanceof Inet4Address).toList();
            List<InetAddress> v6 = addresses.stream().filter(a -> !(a instanceof Inet4Address)).toList();
            slots.assign(devid + "/ipv4", v4).forEach((slot, a) ->
                    nodes.put(VIF_ATTR + "/" + devid + "/ipv4/" + slot, IpText.of(a)));
            slots.assign(devid + "/ipv6", v6).forEach((slot, a) ->
                    nodes.put(VIF_ATTR + "/" + devid + "/ipv6/" + slot, IpText.of(a)));
        });
        return nodes;
    }
}
