package org.jxenbus.guest.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The slot rule of xen-guest-agent's get_ip_slot (src/xenstore_schema_std.rs:162-177, xcp-ng@ec99f28). */
class AddressSlotsTest {

    final AddressSlots slots = new AddressSlots(10);

    @Test
    void anAddressKeepsItsSlotWhileOthersComeAndGo() throws Exception {
        InetAddress a = ip("192.0.2.1");
        InetAddress b = ip("192.0.2.2");
        InetAddress c = ip("192.0.2.3");
        assertEquals(Map.of(0, a, 1, b), slots.assign("0/ipv4", List.of(a, b)));
        assertEquals(Map.of(1, b), slots.assign("0/ipv4", List.of(b)), "b stays in slot 1 when a goes");
        assertEquals(Map.of(0, c, 1, b), slots.assign("0/ipv4", List.of(c, b)), "a newcomer takes the lowest free slot");
        assertEquals(Map.of(0, c, 1, b), slots.assign("0/ipv4", List.of(b, c)), "order changes move nothing");
    }

    @Test
    void tenSlotsPerFamilyAndVifAsNumIfaceIps() throws Exception {
        List<InetAddress> twelve = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            twelve.add(ip("198.51.100." + i));
        }
        Map<Integer, InetAddress> assigned = slots.assign("0/ipv4", twelve);
        assertEquals(10, assigned.size());
        assertEquals(ip("198.51.100.10"), assigned.get(9));
        assertEquals(Map.of(0, ip("203.0.113.1")), slots.assign("1/ipv4", List.of(ip("203.0.113.1"))),
                "another vif has its own slots");
    }

    @Test
    void aVifThatGoesForgetsItsSlots() throws Exception {
        slots.assign("0/ipv4", List.of(ip("192.0.2.1"), ip("192.0.2.2")));
        slots.retainVifs(List.of());
        assertEquals(Map.of(0, ip("192.0.2.2")), slots.assign("0/ipv4", List.of(ip("192.0.2.2"))));
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }
}
