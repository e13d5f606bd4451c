package org.jxenbus.transport.ring.internal;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jxenbus.transport.ring.fake.FakeEventChannels;
import org.jxenbus.transport.ring.fake.FakeHost;
import org.jxenbus.xenstore.spi.ring.EventChannels;
import org.jxenbus.xenstore.spi.ring.SharedPage;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportInfo;
import org.jxenbus.xenstore.spi.transport.TransportProvider;
import org.jxenbus.xenstore.spi.wire.XsWire;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceProvider;

/** {@code ring:} URIs: the client end of a xenstore ring; see {@link RingUri} for the forms. */
@ServiceProvider(value = TransportProvider.class, resolution = Resolution.OPTIONAL)
public final class RingTransportProvider implements TransportProvider {

    /** The scheme. */
    public static final String SCHEME = "ring";
    /**
     * In-flight window on a ring: below xenstored's 20 outstanding requests per unprivileged domain, which
     * also counts queued replies and the watch events they cause.
     */
    static final int DEFAULT_MAX_IN_FLIGHT = 16;
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public Optional<URI> defaultUri() {
        return Optional.empty();
    }

    @Override
    public boolean accepts(URI uri) {
        return SCHEME.equals(uri.getScheme());
    }

    @Override
    public Transport open(URI uri) throws IOException {
        RingUri ring = RingUri.parse(uri);
        FakeHost host = new FakeHost(ring.dir());
        SharedPage page = host.mapRing(ring.domid());
        EventChannels channels;
        try {
            channels = FakeEventChannels.guest(host, ring.domid());
        } catch (IOException | RuntimeException e) {
            page.close();
            throw e;
        }
        try {
            int port = channels.bindInterdomain(0, 0);
            XenstoreRing r = new XenstoreRing(page, XenstoreRing.End.CLIENT);
            r.suppressKicks(ring.suppressKicks());
            TransportInfo info = new TransportInfo(ring.text(), XsWire.XENSTORE_PAYLOAD_MAX, DEFAULT_MAX_IN_FLIGHT,
                    true);
            return RingTransport.connect(r, channels, port, info, new KickCounters(), CONNECT_TIMEOUT_NANOS);
        } catch (IOException | RuntimeException e) {
            channels.close();
            page.close();
            throw e;
        }
    }
}
