package org.jxenbus.guest.agent.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jxenbus.guest.agent.InterfaceFacts;

/**
 * Which guest interface is which vif: the one whose hardware address is the MAC the toolstack wrote to the
 * frontend's {@code mac} node (libxl_nic.c writes it, netfront reads it for the interface's address). Where
 * several interfaces carry the vif's MAC (a bridge or a VLAN over it), their addresses are the vif's together,
 * in the interfaces' order. Interfaces that match no vif are left out, as both agents leave out non-vif
 * interfaces. Stateless and thread-safe.
 */
final class VifMatcher {

    /** The frontends' root relative to the domain's home: {@code device/vif/<devid>}. */
    static final String VIF_FRONTENDS = "device/vif";

    private VifMatcher() {
    }

    /** The store path of a vif's MAC node, relative to the home. */
    static String macNode(String devid) {
        return VIF_FRONTENDS + "/" + devid + "/mac";
    }

    /**
     * The addresses of each vif that has at least one matching interface.
     *
     * @param macByVif each vif's MAC as the toolstack wrote it (any case, surrounding blanks ignored)
     */
    static Map<String, List<InetAddress>> match(Map<String, String> macByVif, List<InterfaceFacts> interfaces) {
        Map<String, List<InetAddress>> byVif = new TreeMap<>();
        macByVif.forEach((devid, mac) -> {
            String wanted = mac.trim().toLowerCase(Locale.ROOT);
            Set<InetAddress> addresses = new LinkedHashSet<>();
            boolean found = false;
            for (InterfaceFacts i : interfaces) {
                if (i.mac().equals(wanted)) {
                    found = true;
                    addresses.addAll(i.addresses());
                }
            }
            if (found) {
                byVif.put(devid, new ArrayList<>(addresses));
            }
        });
        return byVif;
    }
}
