package org.jxenbus.xenstore.cli.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import org.jxenbus.xenstore.api.TransportFailureException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreService;

/**
 * Opens the store with the plain-Java facade ({@code Xenstore.open}), {@code --connect}'s URI or else {@code unix:} (xenstored's socket at
 * {@code $XENSTORED_PATH}, else {@code $XENSTORED_RUNDIR/socket}, else {@code /var/run/xenstored/socket}),
 * and reports a failure as {@code err(1, "xs_open")} does, with the errno libxenstore would leave.
 *
 * <p>libxenstore tries the socket, then the xenbus device, and reports the device's error: the device is
 * {@code $XENSTORED_PATH} when set (a directory there gives EISDIR, anything else the socket's error),
 * otherwise {@code /dev/xen/xenbus} or {@code /proc/xen/xenbus}, whose absence gives ENOENT. This client has
 * no device transport, so where the real tool would use an existing device the socket's error is reported.
 *
 * <p>The store is closed when the command is over. Blocks while connecting. Stateless and thread-safe.
 */
final class StoreOpener implements StoreAccess {

    /** The store opened without {@code --connect}. */
    static final String DEFAULT_URI = "unix:";

    private final Map<String, String> environment;
    private final Function<String, XenstoreConnection> facade;

    /**
     * @param environment the process environment, for libxenstore's variables
     * @param facade opens a URI: {@code Xenstore::open}
     */
    StoreOpener(Map<String, String> environment, Function<String, XenstoreConnection> facade) {
        this.environment = environment;
        this.facade = facade;
    }

    @Override
    public int withStore(Optional<String> connectUri, Diagnostics diagnostics, ToIntFunction<XenstoreService> work) {
        try (XenstoreConnection connection = open(connectUri, diagnostics)) {
            return work.applyAsInt(connection);
        }
    }

    /**
     * @throws CommandExit after printing {@code xs_open: <error>}
     */
    private XenstoreConnection open(Optional<String> uri, Diagnostics diagnostics) {
        try {
            return facade.apply(uri.orElse(DEFAULT_URI));
        } catch (TransportFailureException e) {
            String socketError = systemError(e);
            throw diagnostics.err("xs_open", uri.isPresent() ? socketError : deviceError(socketError));
        } catch (IllegalArgumentException e) {
            throw diagnostics.errx("xs_open: " + e.getMessage());
        }
    }

    private String deviceError(String socketError) {
        String explicit = environment.get("XENSTORED_PATH");
        if (explicit != null) {
            return Files.isDirectory(Path.of(explicit)) ? Strerror.IS_A_DIRECTORY : socketError;
        }
        Path device = Path.of("/dev/xen/xenbus");
        if (!Files.exists(device)) {
            device = Path.of("/proc/xen/xenbus");
        }
        return Files.exists(device) ? socketError : Strerror.NO_SUCH_FILE;
    }

    /** The innermost I/O error's message: the JDK words it as {@code strerror} does. */
    private static String systemError(Throwable failure) {
        String message = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message != null ? message : Strerror.IO_ERROR;
    }
}
