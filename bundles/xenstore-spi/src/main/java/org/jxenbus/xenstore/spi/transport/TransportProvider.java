package org.jxenbus.xenstore.spi.transport;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Opens transports for the URIs of one scheme ({@code unix:}, {@code xenbus:}, {@code ring:} ...). Found
 * with {@link java.util.ServiceLoader} on the module path, and as a service in OSGi. Thread-safe.
 */
@ConsumerType
public interface TransportProvider {

    /** The URI scheme this provider serves, e.g. {@code unix}. */
    String scheme();

    /**
     * The URI this scheme means when given without details ({@code unix:} alone), following the
     * conventions of libxenstore; empty if the scheme needs details.
     */
    Optional<URI> defaultUri();

    /**
     * The scheme of {@code text} if it is a scheme alone ({@code unix:}, {@code xenbus:}, {@code sim:}), which
     * names that scheme's {@link #defaultUri()} wherever a store is given as text; {@link URI} refuses it
     * ("Expected scheme-specific part"). Empty for anything else.
     */
    static Optional<String> schemeAlone(String text) {
        return text.matches("[A-Za-z][A-Za-z0-9+.-]*:") ? Optional.of(text.substring(0, text.length() - 1))
                : Optional.empty();
    }

    /** Whether {@code uri} is one this provider can open (its scheme and form). */
    boolean accepts(URI uri);

    /**
     * A store reachable through this provider on this machine without configuration, if there is one now:
     * {@code unix:} when xenstored's socket exists, {@code xenbus:} when the xenbus device does, the
     * simulator always. Runtimes pick the most preferred real store (libxenstore's order: socket 300, then
     * {@code /dev/xen/xenbus} 200, then {@code /proc/xen/xenbus} 100), and the simulator only when no real
     * store exists. Only transport bundles know what files to look for. Empty by default.
     */
    default Optional<Discovered> discover() {
        return Optional.empty();
    }

    /**
     * A store found by {@link #discover()}.
     *
     * @param uri how to open it
     * @param preference higher is preferred (see {@link #discover()})
     * @param simulated whether it is the embedded simulator, never a replacement for a real store
     */
    record Discovered(URI uri, int preference, boolean simulated) {
        /** Checks the URI is present. */
        public Discovered {
            java.util.Objects.requireNonNull(uri, "uri");
        }
    }

    /**
     * Connects. Blocks until connected or failed; starts no thread.
     *
     * @throws IllegalArgumentException if the URI is malformed for this scheme (the message says how)
     * @throws IOException if connecting fails (no such socket, permission denied ...)
     */
    Transport open(URI uri) throws IOException;
}
