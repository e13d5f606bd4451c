package org.jxenbus.transport.xenbus.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.jxenbus.transport.xendev.XenbusDevice;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportInfo;
import org.jxenbus.xenstore.spi.transport.TransportProvider;
import org.jxenbus.xenstore.spi.wire.XsWire;
import org.osgi.service.component.annotations.Component;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceProvider;

/**
 * {@code xenbus:} (libxenstore's order: {@code /dev/xen/xenbus}, else {@code /proc/xen/xenbus}) or
 * {@code xenbus:/path}, optionally with {@code ?descriptors=N}: how many request descriptors to open
 * (1 .. 16, default {@value #DEFAULT_REQUEST_DESCRIPTORS}). Each carries one request at a time, so N is
 * how many requests this connection has at xenstored at once; 1 gives libxenstore's behaviour.
 */
@ServiceProvider(value = TransportProvider.class, resolution = Resolution.OPTIONAL)
@Component(service = TransportProvider.class, property = "xenstore.transport.scheme=xenbus")
public final class XenbusTransportProvider implements TransportProvider {

    /** The scheme. */
    public static final String SCHEME = "xenbus";
    /**
     * A low number: a guest's outstanding requests at xenstored (20 by default) are shared with the kernel
     * itself and every other user of the device.
     */
    static final int DEFAULT_REQUEST_DESCRIPTORS = 4;

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public Optional<URI> defaultUri() {
        return Optional.of(URI.create(SCHEME + ":" + XenbusDevice.defaultPath()));
    }

    /** {@code /dev/xen/xenbus} (preference 200), else {@code /proc/xen/xenbus} (100), if present. */
    @Override
    public Optional<Discovered> discover() {
        for (String path : new String[] {XenbusDevice.DEVICE, XenbusDevice.PROC}) {
            if (Files.exists(Path.of(path))) {
                return Optional.of(new Discovered(URI.create(SCHEME + ":" + path),
                        XenbusDevice.DEVICE.equals(path) ? 200 : 100, false));
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean accepts(URI uri) {
        return SCHEME.equals(uri.getScheme());
    }

    @Override
    public Transport open(URI uri) throws IOException {
        String path = uri.getRawSchemeSpecificPart();
        int query = path.indexOf('?');
        int descriptors = query < 0 ? DEFAULT_REQUEST_DESCRIPTORS : descriptors(uri, path.substring(query + 1));
        path = query < 0 ? path : path.substring(0, query);
        if (path.isEmpty()) {
            path = XenbusDevice.defaultPath();
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("xenbus: takes an absolute device path or nothing: " + uri);
        }
        XenbusDevice device = XenbusDevice.open(path, descriptors);
        // The window is twice the descriptors, so a freed descriptor finds its next request already here.
        return new XenbusTransport(device, new TransportInfo(SCHEME + ":" + path, XsWire.XENBUS_DEVICE_PAYLOAD_MAX,
                2 * descriptors, false));
    }

    private static int descriptors(URI uri, String query) {
        String prefix = "descriptors=";
        if (!query.startsWith(prefix) || query.indexOf('&') >= 0) {
            throw new IllegalArgumentException("xenbus: knows only the query descriptors=N: " + uri);
        }
        try {
            int n = Integer.parseInt(query.substring(prefix.length()));
            if (n >= 1 && n <= XenbusDevice.MAX_REQUEST_DESCRIPTORS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("xenbus: descriptors must be a number within 1.."
                + XenbusDevice.MAX_REQUEST_DESCRIPTORS + ": " + uri);
    }
}
