package org.jxenbus.xenstore.client;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

import org.jxenbus.xenstore.api.ConnectionOptions;
import org.jxenbus.xenstore.api.TransportFailureException;
import org.jxenbus.xenstore.api.XenstoreConnection;
import org.jxenbus.xenstore.api.XenstoreService;
import org.jxenbus.xenstore.api.watch.OwnedWatchService;
import org.jxenbus.xenstore.api.watch.WatchOptions;
import org.jxenbus.xenstore.api.watch.WatchServiceFactory;
import org.jxenbus.xenstore.spi.connection.ConnectionFactory;
import org.jxenbus.xenstore.spi.connection.TransportSource;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportProvider;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceConsumer;

/**
 * Opens xenstore connections from plain Java. Transports and the multiplexer are found with
 * {@link ServiceLoader}, so the transport modules present on the module path (or class path) decide which
 * URI schemes work.
 *
 * <p>URIs: {@code unix:} (xenstored's default socket: {@code $XENSTORED_PATH}, else
 * {@code /var/run/xenstored/socket}) and {@code unix:/some/path}; further schemes come with their transport
 * modules.
 *
 * <p>Thread-safe; the connections returned are thread-safe and must be closed by their opener.
 */
@ServiceConsumer(value = TransportProvider.class, resolution = Resolution.OPTIONAL)
@ServiceConsumer(value = ConnectionFactory.class, resolution = Resolution.OPTIONAL)
@ServiceConsumer(value = WatchServiceFactory.class, resolution = Resolution.OPTIONAL)
public final class Xenstore {

    private Xenstore() {
    }

    /** Opens the default store, {@code unix:}, with default options. */
    public static XenstoreConnection open() {
        return open("unix:");
    }

    /** Opens {@code uri} with default options; see {@link #open(String, ConnectionOptions)}. */
    public static XenstoreConnection open(String uri) {
        return open(uri, ConnectionOptions.defaults());
    }

    /**
     * Opens {@code uri}; a scheme alone ({@code unix:}) means that transport's default.
     *
     * @throws IllegalArgumentException if the URI is malformed or no transport module serves its scheme
     * @throws TransportFailureException if connecting fails
     */
    public static XenstoreConnection open(String uri, ConnectionOptions options) {
        Objects.requireNonNull(uri, "uri");
        Optional<String> schemeAlone = TransportProvider.schemeAlone(uri);
        if (schemeAlone.isPresent()) {
            String scheme = schemeAlone.get();
            TransportProvider p = provider(scheme);
            URI defaultUri = p.defaultUri().orElseThrow(() -> new IllegalArgumentException(
                    "scheme " + scheme + ": needs more than the scheme: " + uri));
            return open(p, defaultUri, options);
        }
        try {
            return open(new URI(uri), options);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed xenstore URI \"" + uri + "\": " + e.getMessage(), e);
        }
    }

    /** Opens {@code uri} with default options. */
    public static XenstoreConnection open(URI uri) {
        return open(uri, ConnectionOptions.defaults());
    }

    /**
     * Opens {@code uri}.
     *
     * @throws IllegalArgumentException if no transport module accepts the URI
     * @throws TransportFailureException if connecting fails
     */
    public static XenstoreConnection open(URI uri, ConnectionOptions options) {
        Objects.requireNonNull(uri, "uri");
        return open(provider(uri), uri, options);
    }

    /**
     * A watch service over {@code store} with default options; close it to remove its watches.
     *
     * @throws IllegalStateException if the watch module (org.jxenbus.xenstore.watch) is missing
     */
    public static OwnedWatchService watches(XenstoreService store) {
        return watches(store, WatchOptions.defaults());
    }

    /** A watch service over {@code store}; close it to remove its watches. */
    public static OwnedWatchService watches(XenstoreService store, WatchOptions options) {
        return ServiceLoader.load(WatchServiceFactory.class, Xenstore.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "no watch service found: put org.jxenbus.xenstore.watch on the module or class path"))
                .open(Objects.requireNonNull(store, "store"), Objects.requireNonNull(options, "options"));
    }

    private static XenstoreConnection open(TransportProvider provider, URI uri, ConnectionOptions options) {
        Objects.requireNonNull(options, "options");
        ConnectionFactory factory = ServiceLoader.load(ConnectionFactory.class, Xenstore.class.getClassLoader())
                .findFirst().orElseThrow(() -> new IllegalStateException(
                        "no xenstore core found: put org.jxenbus.xenstore.core on the module or class path"));
        TransportSource source = new TransportSource() {
            @Override
            public Transport open() throws IOException {
                return provider.open(uri);
            }

            @Override
            public String describe() {
                return uri.toString();
            }
        };
        try {
            return factory.open(source, options);
        } catch (IOException e) {
            throw new TransportFailureException("cannot open " + uri + ": " + e.getMessage(), null, e);
        }
    }

    private static TransportProvider provider(URI uri) {
        for (TransportProvider p : providers()) {
            if (p.accepts(uri)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no transport accepts " + uri + " (available schemes: " + schemes() + ")");
    }

    private static TransportProvider provider(String scheme) {
        for (TransportProvider p : providers()) {
            if (p.scheme().equals(scheme)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no transport for scheme " + scheme + ": (available schemes: "
                + schemes() + ")");
    }

    private static List<TransportProvider> providers() {
        List<TransportProvider> all = new ArrayList<>();
        ServiceLoader.load(TransportProvider.class, Xenstore.class.getClassLoader()).forEach(all::add);
        return all;
    }

    private static String schemes() {
        List<String> s = new ArrayList<>();
        providers().forEach(p -> s.add(p.scheme() + ":"));
        return s.isEmpty() ? "none: add a transport module such as org.jxenbus.transport.socket" : String.join(", ", s);
    }
}
