package org.jxenbus.xenstore.spi.wire;

import org.jxenbus.xenstore.api.InvalidPathException;

/**
 * Path rules, as C xenstored's {@code is_valid_nodename} and {@code canonicalize} apply them: only
 * alphanumerics and {@code -/_@}; no {@code //}; no trailing {@code /} except the root itself; at most
 * {@link XsWire#XENSTORE_ABS_PATH_MAX} characters for an absolute path and
 * {@link XsWire#XENSTORE_REL_PATH_MAX} for a relative one (which the server resolves under
 * {@code /local/domain/<domid>}). Special watch paths start with {@code @}.
 */
public final class XenstorePaths {

    private XenstorePaths() {
    }

    /**
     * Checks a path a caller gave.
     *
     * @param operation the verb, for the message
     * @throws InvalidPathException naming the rule broken; error name {@code EINVAL}, as the server would
     */
    public static void check(String operation, String path) {
        String problem = problem(path);
        if (problem != null) {
            throw new InvalidPathException(operation + " " + quote(path) + ": " + problem, "EINVAL");
        }
    }

    /** The broken rule's description, or {@code null} if {@code path} is valid. */
    public static String problem(String path) {
        if (path == null) {
            return "path is null";
        }
        if (path.isEmpty()) {
            return "path is empty";
        }
        boolean absolute = path.charAt(0) == '/';
        int max = absolute ? XsWire.XENSTORE_ABS_PATH_MAX : XsWire.XENSTORE_REL_PATH_MAX;
        if (path.length() > max) {
            return (absolute ? "absolute" : "relative") + " path of " + path.length() + " characters exceeds " + max;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (!validChar(c)) {
                return "character " + describe(c) + " at index " + i + " is not allowed (only A-Z a-z 0-9 - / _ @)";
            }
        }
        if (path.contains("//")) {
            return "path contains \"//\"";
        }
        if (path.length() > 1 && path.endsWith("/")) {
            return "path ends with \"/\"";
        }
        return null;
    }

    /** Whether {@code path} is relative: resolved by the server under the connection's domain path. */
    public static boolean isRelative(String path) {
        return !path.isEmpty() && path.charAt(0) != '/' && path.charAt(0) != '@';
    }

    private static boolean validChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '/'
                || c == '_' || c == '@';
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static String quote(String path) {
        if (path == null) {
            return "null";
        }
        return "\"" + (path.length() > 80 ? path.substring(0, 80) + "..." : path) + "\"";
    }
}
