package org.jxenbus.transport.xenbus.internal;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

import org.jxenbus.transport.xendev.XenbusDevice;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportInfo;
import org.jxenbus.xenstore.spi.transport.TransportProvider;
import org.jxenbus.xenstore.spi.wire.XsWire;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceProvider;

/**
 * {@code xenbus:} (libxenstore's order: {@code /dev/xen/xenbus}, else {@code /proc/xen/xenbus}) or
 * {@code xenbus:/path}.
 */
@ServiceProvider(value = TransportProvider.class, resolution = Resolution.OPTIONAL)
public final class XenbusTransportProvider implements TransportProvider {

    /** The scheme. */
    public static final String SCHEME = "xenbus";
    /**
     * A low window: the guest's 20 outstanding requests at xenstored are shared with the kernel itself and
     * every other user of the device.
     */
    static final int DEFAULT_MAX_IN_FLIGHT = 8;

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public Optional<URI> defaultUri() {
        return Optional.of(URI.create(SCHEME + ":" + XenbusDevice.defaultPath()));
    }

    @Override
    public boolean accepts(URI uri) {
        return SCHEME.equals(uri.getScheme());
    }

    @Override
    public Transport open(URI uri) throws IOException {
        String path = uri.getSchemeSpecificPart();
        if (path == null || path.isEmpty()) {
            path = XenbusDevice.defaultPath();
        }
        if (!path.startsWith("/") || uri.getQuery() != null) {
            throw new IllegalArgumentException("xenbus: takes an absolute device path or nothing: " + uri);
        }
        XenbusDevice device = XenbusDevice.open(path);
        return new XenbusTransport(device, new TransportInfo(SCHEME + ":" + path, XsWire.XENBUS_DEVICE_PAYLOAD_MAX,
                DEFAULT_MAX_IN_FLIGHT, false));
    }
}
