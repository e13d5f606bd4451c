package org.jxenbus.xenstore.core.internal;

import org.jxenbus.xenstore.api.AccessDeniedException;
import org.jxenbus.xenstore.api.ConflictException;
import org.jxenbus.xenstore.api.InvalidRequestException;
import org.jxenbus.xenstore.api.NoSuchNodeException;
import org.jxenbus.xenstore.api.NodeExistsException;
import org.jxenbus.xenstore.api.QuotaExceededException;
import org.jxenbus.xenstore.api.TooBigException;
import org.jxenbus.xenstore.api.XenstoreException;
import org.jxenbus.xenstore.spi.wire.XsMessageType;

/** Turns a server error name into the typed exception callers handle, keeping the name. */
final class ServerErrors {

    private ServerErrors() {
    }

    /**
     * The exception for error {@code name} answering a request of {@code type}.
     *
     * <p>E2BIG means different things by request: the watch quota for WATCH (xenstored before 4.22), a
     * reply too large for DIRECTORY or GET_PERMS, a request too large otherwise. ENOSPC and oxenstored's
     * EQUOTA are quotas.
     */
    static XenstoreException of(String name, XsMessageType type, String description) {
        String message = description + ": " + name;
        switch (name) {
            case "ENOENT":
                return new NoSuchNodeException(message, name);
            case "EACCES":
            case "EPERM":
                return new AccessDeniedException(message, name);
            case "EAGAIN":
                return new ConflictException(message, name);
            case "EINVAL":
                return new InvalidRequestException(message, name);
            case "EEXIST":
                return new NodeExistsException(message, name);
            case "ENOSPC":
            case "EQUOTA":
                return new QuotaExceededException(message, name);
            case "E2BIG":
                return type == XsMessageType.XS_WATCH ? new QuotaExceededException(message + " (watch quota)", name)
                        : new TooBigException(message, name);
            default:
                return new XenstoreException(message, name);
        }
    }
}
