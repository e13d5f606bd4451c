package org.jxenbus.xenstore.cli.command;

import java.util.Map;

import org.jxenbus.xenstore.api.XenstoreException;

/**
 * The texts glibc 2.36's {@code strerror} gives for the errno values libxenstore reports, found from the
 * server's error name as libxenstore does: the names in xenstored's {@code xsd_errors} table map to their
 * errno; any other name becomes {@code EINVAL}.
 *
 * <p>Errors found by this client that have no server name (a lost connection, a malformed reply) read as
 * {@code EIO}, the nearest thing libxenstore would report. Stateless and thread-safe.
 */
final class Strerror {

    /** {@code strerror(EINVAL)}. */
    static final String INVALID_ARGUMENT = "Invalid argument";
    /** {@code strerror(ENOENT)}. */
    static final String NO_SUCH_FILE = "No such file or directory";
    /** {@code strerror(EISDIR)}. */
    static final String IS_A_DIRECTORY = "Is a directory";
    /** {@code strerror(EIO)}. */
    static final String IO_ERROR = "Input/output error";

    /** xenstored's {@code xsd_errors} names and glibc's texts for them. */
    private static final Map<String, String> BY_SERVER_NAME = Map.ofEntries(
            Map.entry("EINVAL", INVALID_ARGUMENT),
            Map.entry("EACCES", "Permission denied"),
            Map.entry("EEXIST", "File exists"),
            Map.entry("EISDIR", IS_A_DIRECTORY),
            Map.entry("ENOENT", NO_SUCH_FILE),
            Map.entry("ENOMEM", "Cannot allocate memory"),
            Map.entry("ENOSPC", "No space left on device"),
            Map.entry("EIO", IO_ERROR),
            Map.entry("ENOTEMPTY", "Directory not empty"),
            Map.entry("ENOSYS", "Function not implemented"),
            Map.entry("EROFS", "Read-only file system"),
            Map.entry("EBUSY", "Device or resource busy"),
            Map.entry("EAGAIN", "Resource temporarily unavailable"),
            Map.entry("EISCONN", "Transport endpoint is already connected"),
            Map.entry("E2BIG", "Argument list too long"),
            Map.entry("EPERM", "Operation not permitted"));

    private Strerror() {
    }

    /** The text for a failed request, as {@code err()} would print it after libxenstore set errno. */
    static String of(XenstoreException failure) {
        String name = failure.errorName();
        if (name == null) {
            return IO_ERROR;
        }
        return BY_SERVER_NAME.getOrDefault(name, INVALID_ARGUMENT);
    }
}
