package org.jxenbus.transport.socket.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportInfo;
import org.jxenbus.xenstore.spi.transport.TransportProvider;
import org.jxenbus.xenstore.spi.wire.XsWire;
import org.osgi.service.component.annotations.Component;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceProvider;

/**
 * {@code unix:/path/to/socket}, or {@code unix:} for libxenstore's default: {@code $XENSTORED_PATH}, else
 * {@code $XENSTORED_RUNDIR/socket}, else {@code /var/run/xenstored/socket}.
 */
@ServiceProvider(value = TransportProvider.class, resolution = Resolution.OPTIONAL)
@Component(service = TransportProvider.class, property = "xenstore.transport.scheme=unix")
public final class SocketTransportProvider implements TransportProvider {

    /** The scheme. */
    public static final String SCHEME = "unix";
    /** In-flight window on the socket: xenstored has no outstanding-request quota for dom0's socket. */
    static final int DEFAULT_MAX_IN_FLIGHT = 64;

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public Optional<URI> defaultUri() {
        return Optional.of(URI.create(SCHEME + ":" + defaultSocket()));
    }

    /** xenstored's socket, if it exists: preference 300 (libxenstore tries it first). */
    @Override
    public Optional<Discovered> discover() {
        Path socket = Path.of(defaultSocket());
        return Files.exists(socket) ? Optional.of(new Discovered(URI.create(SCHEME + ":" + socket), 300, false))
                : Optional.empty();
    }

    @Override
    public boolean accepts(URI uri) {
        return SCHEME.equals(uri.getScheme());
    }

    @Override
    public Transport open(URI uri) throws IOException {
        Path socket = socketOf(uri);
        try {
            return SocketTransport.connect(socket, new TransportInfo(SCHEME + ":" + socket,
                    XsWire.XENSTORE_PAYLOAD_MAX, DEFAULT_MAX_IN_FLIGHT, false));
        } catch (IOException e) {
            throw new IOException("cannot connect to xenstored's socket " + socket + ": " + e.getMessage(), e);
        }
    }

    static Path socketOf(URI uri) {
        if (!SCHEME.equals(uri.getScheme())) {
            throw new IllegalArgumentException("not a unix: URI: " + uri);
        }
        String path = uri.isOpaque() ? uri.getSchemeSpecificPart() : uri.getPath();
        if (path == null || path.isEmpty()) {
            return Path.of(defaultSocket());
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("unix: URI needs an absolute socket path, as in unix:/var/run/xenstored/"
                    + "socket: " + uri);
        }
        if (uri.getQuery() != null || uri.getFragment() != null || (uri.getAuthority() != null)) {
            throw new IllegalArgumentException("unix: URI takes only a socket path: " + uri);
        }
        return Path.of(path);
    }

    static String defaultSocket() {
        String explicit = System.getenv("XENSTORED_PATH");
        if (explicit != null && !explicit.isEmpty()) {
            return explicit;
        }
        String rundir = System.getenv("XENSTORED_RUNDIR");
        return (rundir != null && !rundir.isEmpty() ? rundir : "/var/run/xenstored") + "/socket";
    }
}
