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

    /** Whether {@code uri} is one this provider can open (its scheme and form). */
    boolean accepts(URI uri);

    /**
     * Connects. Blocks until connected or failed; starts no thread.
     *
     * @throws IllegalArgumentException if the URI is malformed for this scheme (the message says how)
     * @throws IOException if connecting fails (no such socket, permission denied ...)
     */
    Transport open(URI uri) throws IOException;
}
