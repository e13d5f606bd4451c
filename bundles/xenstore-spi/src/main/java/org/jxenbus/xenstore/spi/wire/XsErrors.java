package org.jxenbus.xenstore.spi.wire;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The error names of {@code xsd_errors[]} (xs_wire.h), in table order. An error reply carries the name as
 * text ({@code "ENOENT\0"}); names outside the table, such as oxenstored's {@code EQUOTA}, are legal and
 * kept as sent.
 */
public final class XsErrors {

    /** The table, in xs_wire.h order; EPERM was added last (2022). */
    public static final List<String> KNOWN = List.of("EINVAL", "EACCES", "EEXIST", "EISDIR", "ENOENT", "ENOMEM",
            "ENOSPC", "EIO", "ENOTEMPTY", "ENOSYS", "EROFS", "EBUSY", "EAGAIN", "EISCONN", "E2BIG", "EPERM");

    private XsErrors() {
    }

    /** Whether {@code name} is in the xs_wire.h table. */
    public static boolean isKnown(String name) {
        return KNOWN.contains(name);
    }

    /** The payload of an error reply naming {@code name}: the name and a NUL. */
    public static byte[] payload(String name) {
        return Payloads.strings(name);
    }

    /**
     * The error name an {@code XS_ERROR} payload carries, kept as sent.
     *
     * @throws MalformedMessageException if the payload is empty, lacks its NUL, or the name is not an
     *         {@code E}-prefixed run of upper-case letters and digits
     */
    public static String parse(byte[] payload) throws MalformedMessageException {
        String name = Payloads.singleString(payload);
        if (name.length() < 2 || name.charAt(0) != 'E' || !name.chars().allMatch(c -> (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9'))) {
            throw new MalformedMessageException("not an error name: \"" + Payloads.printable(
                    name.getBytes(StandardCharsets.ISO_8859_1)) + "\"");
        }
        return name;
    }
}
