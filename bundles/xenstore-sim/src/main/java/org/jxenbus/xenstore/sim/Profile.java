package org.jxenbus.xenstore.sim;

/**
 * Which xenstored the simulator is. Both answer requests with C xenstored 4.17's semantics; they differ in
 * what a ring advertises and what WATCH accepts.
 */
public enum Profile {

    /**
     * C xenstored 4.17 as Debian ships it: {@code server_features} 0 on every ring (so no reconnection and no
     * error field promised, though the field is still set on a broken ring) and WATCH takes exactly a path
     * and a token.
     */
    XEN_4_17("xen-4.17", 0),

    /**
     * Newer features for testing clients' use of them: rings advertise RECONNECTION, ERROR and WATCHDEPTH
     * (bits 1, 2, 4), a ring's reconnection request is honoured, and WATCH accepts a depth (Xen 4.22).
     */
    MODERN("modern", 1 | 2 | 4);

    private final String id;
    private final int serverFeatures;

    Profile(String id, int serverFeatures) {
        this.id = id;
        this.serverFeatures = serverFeatures;
    }

    /** The name used on command lines: {@code xen-4.17}, {@code modern}. */
    public String id() {
        return id;
    }

    /** The ring's {@code server_features} bits. */
    public int serverFeatures() {
        return serverFeatures;
    }

    /** Whether WATCH accepts a third argument, the depth. */
    public boolean watchDepth() {
        return (serverFeatures & 4) != 0;
    }

    /** Whether a ring's {@code connection = RECONNECT} is honoured. */
    public boolean reconnection() {
        return (serverFeatures & 1) != 0;
    }

    /**
     * The profile named {@code id}.
     *
     * @throws IllegalArgumentException naming the known profiles
     */
    public static Profile of(String id) {
        for (Profile p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile \"" + id + "\" (known: xen-4.17, modern)");
    }
}
