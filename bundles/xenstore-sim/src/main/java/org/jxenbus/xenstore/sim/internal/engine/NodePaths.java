package org.jxenbus.xenstore.sim.internal.engine;

/**
 * Node names as xenstored 4.17 checks and splits them: {@code is_valid_nodename}, {@code get_parent},
 * {@code basename}, {@code is_child} and {@code canonicalize}.
 */
final class NodePaths {

    private static final String LOCAL_DOMAIN = "/local/domain/";

    private NodePaths() {
    }

    /**
     * {@code is_valid_nodename}: absolute, no trailing or double slash, only {@code A-Za-z0-9-/_@}, and at
     * most {@code pathMax} characters after {@code /local/domain/<id>/} (or in all, elsewhere).
     */
    static boolean isValid(String node, int pathMax) {
        if (!node.startsWith("/")) {
            return false;
        }
        if (node.endsWith("/") && !node.equals("/")) {
            return false;
        }
        if (node.contains("//")) {
            return false;
        }
        if (node.length() > domainPrefixLength(node) + pathMax) {
            return false;
        }
        for (int i = 0; i < node.length(); i++) {
            char c = node.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '/' || c == '_' || c == '@')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The length of a leading {@code /local/domain/<id>/}, as {@code sscanf("/local/domain/%5u/%n")} finds it
     * (at most five characters of number); 0 if there is none.
     */
    private static int domainPrefixLength(String node) {
        if (!node.startsWith(LOCAL_DOMAIN)) {
            return 0;
        }
        int i = LOCAL_DOMAIN.length();
        int limit = Math.min(node.length(), i + 5);
        int digits = i;
        if (digits < limit && (node.charAt(digits) == '+' || node.charAt(digits) == '-')) {
            digits++;
        }
        int start = digits;
        while (digits < limit && node.charAt(digits) >= '0' && node.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == start || digits >= node.length() || node.charAt(digits) != '/') {
            return 0;
        }
        return digits + 1;
    }

    /** {@code get_parent}: everything before the last slash, or "/" (also for "/" itself). */
    static String parent(String node) {
        int slash = node.lastIndexOf('/');
        return slash <= 0 ? "/" : node.substring(0, slash);
    }

    /** {@code basename}: the part after the last slash. */
    static String basename(String node) {
        return node.substring(node.lastIndexOf('/') + 1);
    }

    /** {@code child_name}: {@code parent/child}, with no double slash under the root. */
    static String child(String parent, String child) {
        return parent.equals("/") ? "/" + child : parent + "/" + child;
    }

    /** {@code is_child}: whether {@code child} is {@code parent} or below it; everything is below "/". */
    static boolean isChild(String child, String parent) {
        if (parent.equals("/")) {
            return true;
        }
        if (!child.startsWith(parent)) {
            return false;
        }
        return child.length() == parent.length() || child.charAt(parent.length()) == '/';
    }

    /**
     * The watch depth rule of Xen 4.22's {@code is_child} ({@code depth < 0}: no limit): {@code child} is
     * {@code parent} or at most {@code depth} levels below it.
     */
    static boolean isChild(String child, String parent, int depth) {
        int len = parent.length();
        int levels = len == 1 ? 1 : 0;
        if (!child.startsWith(parent)) {
            return false;
        }
        if (child.length() > len && child.charAt(len) != '/' && len > 1) {
            return false;
        }
        if (depth < 0 || child.length() == len) {
            return true;
        }
        while (levels <= depth) {
            if (len == child.length()) {
                return true;
            }
            if (child.charAt(len) == '/') {
                levels++;
            }
            len++;
        }
        return false;
    }

    /**
     * {@code canonicalize}: absolute and special ({@code @}) names unchanged, relative ones under the
     * connection's implicit path ({@code /local/domain/<id>}; dom0's for sockets); {@code null} stays null.
     */
    static String canonicalize(Connection conn, String node) {
        if (node == null || node.startsWith("/") || node.startsWith("@")) {
            return node;
        }
        return conn.implicitPath() + "/" + node;
    }
}
