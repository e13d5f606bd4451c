package org.jxenbus.distribution;

/** Which implementation of the xenstore tools a call runs. */
enum Side {
    /** Debian's xenstore-utils 4.17, the reference. */
    REAL,
    /** jxenbus's bin/xenstore and its links. */
    OURS
}
