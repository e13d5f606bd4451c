package org.jxenbus.xenstore.sim.internal.engine;

/**
 * What the simulated xenstored asks the hypervisor: whether a domain exists ({@code xc_domain_getinfo}),
 * and, when a domain is introduced, its ring ({@code xengnttab_map_grant_ref} and the event channel).
 * Called on the engine thread.
 */
public interface Hypervisor {

    /** Whether domain {@code domid} exists (it need not be introduced). */
    boolean domainExists(int domid);

    /** A client connects as domain {@code domid} in the same JVM: from now on it exists. */
    void created(int domid);

    /**
     * Starts serving domain {@code domid}'s ring, whose client notifies on {@code port}, for {@code conn}.
     *
     * @return a handle to stop serving, or null when the domain has no ring (an in-JVM domain)
     * @throws XsErrorException with xenstored's errno when the ring cannot be mapped (ENOENT: no ring)
     */
    RingAttachment attachRing(int domid, int port, Connection conn) throws XsErrorException;

    /** A served ring. */
    interface RingAttachment {
        /** INTRODUCE again: the ring's indices go back to 0 and queued replies are dropped. */
        void reset(int port);

        /** Stops serving it (RELEASE, domain death). */
        void detach();

        /** Whether the ring should be read now (false while requests wait or a quota stops reading). */
        default void readable(boolean yes) {
        }

        /** Whether the ring stopped being served on its own (a broken ring). */
        default boolean failed() {
            return false;
        }
    }

    /** An errno for the hypervisor's callers outside this package. */
    final class XsErrorException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String errno;

        public XsErrorException(String errno, String message) {
            super(message);
            this.errno = Errno.valueOf(errno).name();
        }

        String errno() {
            return errno;
        }
    }
}
