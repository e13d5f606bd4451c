package org.jxenbus.xenstore.sim.internal.engine;

/**
 * What xenstored knows of one domain ({@code struct domain}): whether it was introduced, when its record
 * was made (its generation: permissions older than the domain name an earlier domain of the same id), and
 * what it uses: nodes owned, watches, outstanding requests, memory. Engine thread only.
 */
final class Domain {

    final int domid;
    final long generation;
    final String path;
    boolean introduced;
    boolean shutdown;
    int port;
    /** The domain's connection (its ring) once introduced. */
    Connection connection;
    int nodes;
    int watches;
    int outstanding;
    int memory;

    Domain(int domid, long generation) {
        this.domid = domid;
        this.generation = generation;
        this.path = "/local/domain/" + Integer.toUnsignedString(domid);
    }

    @Override
    public String toString() {
        return "domain " + Integer.toUnsignedString(domid);
    }
}
