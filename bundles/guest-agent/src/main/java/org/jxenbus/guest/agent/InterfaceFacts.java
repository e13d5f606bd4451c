package org.jxenbus.guest.agent;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One network interface of the guest.
 *
 * @param name the guest's name for it ({@code eth0}), for logs
 * @param mac its hardware address as six colon-separated hex octets; stored in lower case, so it compares equal
 *        to the toolstack's {@code device/vif/<id>/mac} whatever case either side used
 * @param addresses its IPv4 and IPv6 addresses, in the order the guest lists them
 */
public record InterfaceFacts(String name, String mac, List<InetAddress> addresses) {

    /** Normalises the MAC address and copies the list. */
    public InterfaceFacts {
        Objects.requireNonNull(name, "name");
        mac = mac.trim().toLowerCase(Locale.ROOT);
        addresses = List.copyOf(addresses);
    }

    /** The colon-separated lower-case text of a hardware address. */
    public static String macText(byte[] hardwareAddress) {
        StringBuilder b = new StringBuilder(3 * hardwareAddress.length);
        for (byte octet : hardwareAddress) {
            if (b.length() > 0) {
                b.append(':');
            }
            b.append(Character.forDigit((octet >> 4) & 0xf, 16)).append(Character.forDigit(octet & 0xf, 16));
        }
        return b.toString();
    }
}
