package org.jxenbus.guest.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import org.jxenbus.guest.agent.InterfaceFacts;
import org.junit.jupiter.api.Test;

class VifMatcherTest {

    @Test
    void interfacesAreMatchedToVifsByTheMacTheToolstackWroteInAnyCase() throws Exception {
        // libxl writes device/vif/<id>/mac with LIBXL_MAC_FMT "%02hhx:..." (libxl_nic.c:251-253,
        // xen-project/xen@c447b73), lower case; other toolstacks may not.
        InterfaceFacts eth0 = new InterfaceFacts("eth0", "00:16:3E:00:00:01", List.of(ip("192.0.2.10")));
        InterfaceFacts eth1 = new InterfaceFacts("eth1", "00:16:3e:00:00:02", List.of(ip("198.51.100.7")));
        InterfaceFacts docker0 = new InterfaceFacts("docker0", "02:42:ac:11:00:01", List.of(ip("172.17.0.1")));
        Map<String, List<InetAddress>> byVif = VifMatcher.match(
                Map.of("0", "00:16:3e:00:00:01", "1", " 00:16:3E:00:00:02\n", "2", "00:16:3e:00:00:03"),
                List.of(docker0, eth1, eth0));
        assertEquals(Map.of("0", List.of(ip("192.0.2.10")), "1", List.of(ip("198.51.100.7"))), byVif,
                "vif 2 has no interface; docker0 is no vif");
    }

    @Test
    void aBridgeOverTheVifShareItsMacAndItsAddressesAreTheVifs() throws Exception {
        InterfaceFacts eth0 = new InterfaceFacts("eth0", "00:16:3e:00:00:01", List.of(ip("fe80::1")));
        InterfaceFacts br0 = new InterfaceFacts("br0", "00:16:3e:00:00:01", List.of(ip("192.0.2.10"), ip("fe80::1")));
        assertEquals(Map.of("0", List.of(ip("fe80::1"), ip("192.0.2.10"))),
                VifMatcher.match(Map.of("0", "00:16:3e:00:00:01"), List.of(eth0, br0)));
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }
}
