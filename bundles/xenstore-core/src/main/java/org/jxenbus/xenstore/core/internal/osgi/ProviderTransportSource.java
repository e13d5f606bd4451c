package org.jxenbus.xenstore.core.internal.osgi;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jxenbus.xenstore.spi.connection.TransportSource;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportProvider;

/**
 * Transports for the shared connection from whichever transport bundles are active now. The connection has
 * one transport at a time; when the bundle that opened it goes away (stopped, updated, uninstalled), that
 * transport is closed at once, so the connection reconnects through this source and waits (within its
 * requests' timeouts) until a bundle serving the target URI is back. Thread-safe.
 */
final class ProviderTransportSource implements TransportSource {

    private final List<TransportProvider> providers = new ArrayList<>();
    private URI target;
    private Transport current;
    private TransportProvider currentProvider;

    synchronized void add(TransportProvider p) {
        providers.add(p);
    }

    /** Removes {@code p}; closes the transport it opened, if that is the connection's current one. */
    void remove(TransportProvider p) {
        Transport doomed = null;
        synchronized (this) {
            providers.remove(p);
            if (currentProvider == p) {
                doomed = current;
                current = null;
                currentProvider = null;
            }
        }
        if (doomed != null) {
            doomed.close();
        }
    }

    /** Points the source at {@code uri}; the next {@link #open()} uses it. */
    synchronized void retarget(URI uri) {
        target = uri;
    }

    synchronized URI target() {
        return target;
    }

    /** The active providers now, for discovery. */
    synchronized List<TransportProvider> providers() {
        return List.copyOf(providers);
    }

    /** The provider that accepts {@code uri} now, if any. */
    synchronized Optional<TransportProvider> providerFor(URI uri) {
        for (TransportProvider p : providers) {
            if (p.accepts(uri)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public Transport open() throws IOException {
        URI uri;
        TransportProvider p;
        synchronized (this) {
            uri = target;
            if (uri == null) {
                throw new IOException("no store chosen yet");
            }
            p = providerFor(uri).orElseThrow(() -> new IOException("no active transport bundle serves " + target));
        }
        Transport t = p.open(uri);
        synchronized (this) {
            if (providers.contains(p)) {
                current = t;
                currentProvider = p;
                return t;
            }
        }
        t.close();
        throw new IOException("the transport bundle serving " + uri + " went away while connecting");
    }

    @Override
    public synchronized String describe() {
        return String.valueOf(target);
    }
}
