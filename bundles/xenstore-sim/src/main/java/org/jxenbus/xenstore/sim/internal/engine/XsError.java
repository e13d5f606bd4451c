package org.jxenbus.xenstore.sim.internal.engine;

/**
 * A request failing with an errno, as xenstored's handlers return one. Carries no stack trace: it is a
 * value, thrown thousands of times a second by ordinary requests (ENOENT, EACCES).
 */
final class XsError extends Exception {

    private static final long serialVersionUID = 1L;

    final Errno errno;

    XsError(Errno errno) {
        super(errno.name(), null, false, false);
        this.errno = errno;
    }
}
