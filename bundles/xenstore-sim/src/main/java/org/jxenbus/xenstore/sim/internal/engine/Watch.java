package org.jxenbus.xenstore.sim.internal.engine;

/**
 * One watch of a connection: the absolute (or special {@code @}) node, the token, and for a watch set with a
 * relative path the prefix its events leave out. {@code depth} is Xen 4.22's limit (-1: none).
 */
record Watch(String node, String token, String relativePrefix, int depth) {

    /** The path an event for {@code name} carries: relative if the watch was set relative. */
    String eventPath(String name) {
        if (relativePrefix == null) {
            return name;
        }
        String rest = name.substring(relativePrefix.length());
        return rest.startsWith("/") ? rest.substring(1) : rest;
    }

    /** What the watch costs in memory accounting: path and token lengths. */
    int memory() {
        return node.length() + token.length();
    }
}
