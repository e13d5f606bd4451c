package org.jxenbus.xenstore.spi.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jxenbus.xenstore.api.Permission;
import org.jxenbus.xenstore.api.Permissions;

/**
 * Payload encodings (xenstore.txt "Message types", with {@code |} for NUL): NUL-terminated strings and
 * lists of them, a path followed by a value that has no trailing NUL, and permission lists. Text is UTF-8;
 * paths are plain ASCII by {@link XenstorePaths}' rules.
 */
public final class Payloads {

    private static final byte NUL = 0;

    private Payloads() {
    }

    /** Each string followed by a NUL: {@code a|b|}. */
    public static byte[] strings(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : parts) {
            out.writeBytes(p.getBytes(StandardCharsets.UTF_8));
            out.write(NUL);
        }
        return out.toByteArray();
    }

    /** A WRITE payload: {@code path|value}, the value without a trailing NUL. */
    public static byte[] pathAndValue(String path, byte[] value) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[p.length + 1 + value.length];
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(value, 0, out, p.length + 1, value.length);
        return out;
    }

    /** A SET_PERMS payload: {@code path|perm|perm|}. */
    public static byte[] pathAndPermissions(String path, Permissions permissions) {
        String[] parts = new String[permissions.entries().size() + 1];
        parts[0] = path;
        for (int i = 0; i < permissions.entries().size(); i++) {
            parts[i + 1] = permissions.entries().get(i).toString();
        }
        return strings(parts);
    }

    /**
     * The one NUL-terminated string a reply such as {@code OK|}, {@code <txid>|} or {@code <path>|} carries.
     *
     * @throws MalformedMessageException if the payload does not end with its only NUL
     */
    public static String singleString(byte[] payload) throws MalformedMessageException {
        int nul = indexOfNul(payload, 0);
        if (nul < 0 || nul != payload.length - 1) {
            throw new MalformedMessageException(nul < 0 ? "string without its terminating NUL: \"" + printable(payload)
                    + "\"" : "expected one NUL-terminated string, got \"" + printable(payload) + "\"");
        }
        return new String(payload, 0, nul, StandardCharsets.UTF_8);
    }

    /**
     * A list of NUL-terminated strings, as DIRECTORY, GET_PERMS and WATCH_EVENT send it. An empty payload
     * is an empty list.
     *
     * @throws MalformedMessageException if the last string lacks its NUL
     */
    public static List<String> stringList(byte[] payload) throws MalformedMessageException {
        return stringList(payload, 0, payload.length);
    }

    /**
     * The NUL-terminated strings in {@code payload[from, to)}.
     *
     * @throws MalformedMessageException if the last string lacks its NUL
     */
    public static List<String> stringList(byte[] payload, int from, int to) throws MalformedMessageException {
        List<String> out = new ArrayList<>();
        int start = from;
        while (start < to) {
            int nul = indexOfNul(payload, start);
            if (nul < 0 || nul >= to) {
                throw new MalformedMessageException("string list whose last string lacks its NUL: \""
                        + printable(payload) + "\"");
            }
            out.add(new String(payload, start, nul - start, StandardCharsets.UTF_8));
            start = nul + 1;
        }
        return out;
    }

    /**
     * A watch event's payload {@code path|token|}.
     *
     * @throws MalformedMessageException unless it holds exactly two strings (Linux's xs_watch_msg rule)
     */
    public static List<String> watchEvent(byte[] payload) throws MalformedMessageException {
        List<String> parts = stringList(payload);
        if (parts.size() != 2) {
            throw new MalformedMessageException("watch event with " + parts.size()
                    + " strings instead of path and token: \"" + printable(payload) + "\"");
        }
        return parts;
    }

    /**
     * A GET_PERMS reply: one or more permission strings, each NUL-terminated.
     *
     * @throws MalformedMessageException if the list is empty or an entry is not {@code [nrwb]<domid>}
     */
    public static Permissions permissions(byte[] payload) throws MalformedMessageException {
        List<String> parts = stringList(payload);
        if (parts.isEmpty()) {
            throw new MalformedMessageException("empty permission list");
        }
        List<Permission> entries = new ArrayList<>(parts.size());
        for (String p : parts) {
            try {
                entries.add(Permission.parse(p));
            } catch (IllegalArgumentException e) {
                throw new MalformedMessageException("bad permission string: " + e.getMessage());
            }
        }
        return new Permissions(entries);
    }

    /**
     * One DIRECTORY_PART reply: {@code <gencnt>|<child>|*}, where the last part of a listing ends with an
     * extra empty string.
     *
     * @throws MalformedMessageException if the generation count or a child lacks its NUL
     */
    public static DirectoryPart directoryPart(byte[] payload) throws MalformedMessageException {
        int nul = indexOfNul(payload, 0);
        if (nul < 0) {
            throw new MalformedMessageException("DIRECTORY_PART reply without generation count: \""
                    + printable(payload) + "\"");
        }
        String generation = new String(payload, 0, nul, StandardCharsets.US_ASCII);
        int from = nul + 1;
        boolean last = payload.length > from && payload[payload.length - 1] == NUL
                && (payload.length - from == 1 || payload[payload.length - 2] == NUL);
        int to = last ? payload.length - 1 : payload.length;
        List<String> children = stringList(payload, from, to);
        return new DirectoryPart(generation, children, to - from, last);
    }

    /**
     * One part of a listing.
     *
     * @param generation the node's generation count as sent; a change means the listing must restart
     * @param children the names in this part
     * @param childBytes how many bytes of the concatenated child list this part covered (the next offset
     *        advances by this)
     * @param last whether this part ends the listing
     */
    public record DirectoryPart(String generation, List<String> children, int childBytes, boolean last) {
    }

    /** Text for messages: printable ASCII as is, anything else as {@code \xNN}, at most 200 bytes. */
    public static String printable(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        int n = Math.min(bytes.length, 200);
        for (int i = 0; i < n; i++) {
            int c = bytes[i] & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                b.append((char) c);
            } else {
                // by hand: String.format parses its pattern with a regex, per byte of a peer's garbage
                b.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        if (bytes.length > n) {
            b.append("...");
        }
        return b.toString();
    }

    private static int indexOfNul(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == NUL) {
                return i;
            }
        }
        return -1;
    }
}
