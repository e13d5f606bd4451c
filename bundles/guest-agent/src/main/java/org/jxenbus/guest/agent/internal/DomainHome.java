package org.jxenbus.guest.agent.internal;

/**
 * Where the agent's paths live. Empty: relative paths, which a guest's own connection (its ring, the kernel's
 * xenbus device) resolves against {@code /local/domain/<domid>}. Otherwise an absolute home such as
 * {@code /local/domain/5}, for running the same agent over a connection that has no domain of its own (dom0's
 * socket in tests, a driver domain publishing for another).
 *
 * @param root empty, or an absolute path without a trailing slash
 */
public record DomainHome(String root) {

    /** Checks the root's form. */
    public DomainHome {
        if (root == null) {
            root = "";
        }
        if (!root.isEmpty() && (!root.startsWith("/") || root.endsWith("/") || root.contains("//"))) {
            throw new IllegalArgumentException("root must be empty or an absolute path without a trailing slash: '"
                    + root + "'");
        }
    }

    /** Relative paths, resolved by the connection. */
    public static DomainHome relative() {
        return new DomainHome("");
    }

    /** The store path of {@code relative} (a path such as {@code data/os_name}). */
    public String path(String relative) {
        return root.isEmpty() ? relative : root + "/" + relative;
    }
}
