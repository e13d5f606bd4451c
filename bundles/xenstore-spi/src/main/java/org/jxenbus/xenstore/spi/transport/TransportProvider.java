package org.jxenbus.xenstore.spi.transport;

import java.io.IOException;
import java.net.URI;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Opens transports for the URIs of one scheme ({@code unix:}, {@code xenbus:}, {@code ring:} ...). Found
 * with {@link java.util.ServiceLoader} on the module path, and as a service in OSGi. Thread-safe.
 */
@ConsumerType
public interface TransportProvider {

    /** The URI scheme this provider serves, e.g. {@code unix}. */
    String scheme();

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
