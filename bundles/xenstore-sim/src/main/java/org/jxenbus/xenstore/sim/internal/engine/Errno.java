package org.jxenbus.xenstore.sim.internal.engine;

import java.nio.charset.StandardCharsets;

/**
 * The errno values xenstored answers with. The wire carries the name ({@code xsd_errors[]} in xs_wire.h);
 * xenstored turns a value missing from that table (EBADF from {@code memreport}) into EINVAL, so none is
 * listed here.
 */
enum Errno {
    EINVAL, EACCES, EEXIST, EISDIR, ENOENT, ENOMEM, ENOSPC, EIO, ENOTEMPTY, ENOSYS, EROFS, EBUSY, EAGAIN, EISCONN,
    E2BIG, EPERM;

    private final byte[] payload = (name() + '\0').getBytes(StandardCharsets.US_ASCII);

    /** The payload of an XS_ERROR reply: the name and a NUL. */
    byte[] payload() {
        return payload.clone();
    }

    /** Read errors a caller always passes on ({@code read_node_can_propagate_errno}): not about the node. */
    boolean alwaysPropagated() {
        return this == ENOMEM || this == ENOSPC;
    }
}
