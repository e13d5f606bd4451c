package org.jxenbus.guest.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class IpTextTest {

    @Test
    void ipv6IsWrittenInRfc5952CanonicalFormWithoutTheScope() throws Exception {
        // What `ip addr` prints (xe-guest-utilities' source of addresses) and Rust's IpAddr::to_string writes
        // (xen-guest-agent): lower case, no leading zeros, the longest zero run as ::, the first of equal runs.
        assertEquals("fe80::216:3eff:fe00:1", text("FE80:0000:0000:0000:0216:3EFF:FE00:0001"));
        assertEquals("::1", text("0:0:0:0:0:0:0:1"));
        assertEquals("::", text("0:0:0:0:0:0:0:0"));
        assertEquals("2001:db8::", text("2001:db8:0:0:0:0:0:0"));
        assertEquals("2001:db8::1:0:0:1", text("2001:db8:0:0:1:0:0:1"), "the first of two equal runs");
        assertEquals("1:0:0:2::3", text("1:0:0:2:0:0:0:3"), "the longest run");
        assertEquals("2001:db8:0:1:1:1:1:1", text("2001:db8:0:1:1:1:1:1"), "a single zero group stays");
        Inet6Address scoped = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 2);
        assertEquals("fe80::1", IpText.of(scoped), "no %scope");
    }

    @Test
    void ipv4IsTheDottedQuad() throws Exception {
        assertEquals("192.0.2.10", IpText.of(InetAddress.getByName("192.0.2.10")));
    }

    private static String text(String literal) throws Exception {
        return IpText.of(InetAddress.getByName(literal));
    }
}
