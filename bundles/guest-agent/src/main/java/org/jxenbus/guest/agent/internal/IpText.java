package org.jxenbus.guest.agent.internal;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Addresses as the agents write them: IPv4 dotted quad; IPv6 in RFC 5952's canonical text (lower case, no leading
 * zeros, the longest run of two or more zero groups as {@code ::}), as {@code ip addr} prints them and Rust's
 * {@code IpAddr::to_string} writes them, without a scope. Java's own {@code getHostAddress} writes every group and
 * the scope ({@code fe80:0:0:0:0:0:0:1%eth0}), which toolstacks do not expect.
 */
final class IpText {

    private IpText() {
    }

    static String of(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int length = 0;
            while (i + length < 8 && groups[i + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = i;
                bestLength = length;
            }
            i += length;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
