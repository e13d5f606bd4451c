package org.jxenbus.transport.ring.internal;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jxenbus.transport.ring.fake.FakeEventChannels;
import org.jxenbus.transport.ring.fake.FakeHost;
import org.jxenbus.transport.xendev.EvtchnDevice;
import org.jxenbus.transport.xendev.GrantAllocator;
import org.jxenbus.xenstore.spi.ring.EventChannels;
import org.jxenbus.xenstore.spi.ring.SharedPage;
import org.jxenbus.xenstore.spi.ring.XenstoreRing;
import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportInfo;
import org.jxenbus.xenstore.spi.transport.TransportProvider;
import org.jxenbus.xenstore.spi.wire.XsWire;
import org.osgi.service.component.annotations.Component;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceProvider;

/** {@code ring:} URIs: the client end of a xenstore ring; see {@link RingUri} for the forms. */
@ServiceProvider(value = TransportProvider.class, resolution = Resolution.OPTIONAL)
@Component(service = TransportProvider.class, property = "xenstore.transport.scheme=ring")
public final class RingTransportProvider implements TransportProvider {

    /** The scheme. */
    public static final String SCHEME = "ring";
    /**
     * In-flight window on a ring: below xenstored's 20 outstanding requests per unprivileged domain, which
     * also counts queued replies and the watch events they cause.
     */
    static final int DEFAULT_MAX_IN_FLIGHT = 16;
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final System.Logger LOG = System.getLogger(RingTransportProvider.class.getName());

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
        return ring.kind().equals("fake") ? openFake(ring) : offerGrant(ring);
    }

    private static Transport openFake(RingUri ring) throws IOException {
        FakeHost host = new FakeHost(ring.dir());
        SharedPage page = host.mapGuestRing(ring.domid());
        EventChannels channels;
        try {
            channels = FakeEventChannels.guest(host, ring.domid());
        } catch (IOException | RuntimeException e) {
            page.close();
            throw e;
        }
        return connect(ring, ring.text(), page, channels, () -> channels.bindInterdomain(0, 0));
    }

    /**
     * Offers a ring of our own: a zeroed page granted to the server's domain and an unbound port for it.
     * The server maps grant {@code gref} of our domain and binds {@code port}; both are in the transport's
     * URI and logged.
     */
    private static Transport offerGrant(RingUri ring) throws IOException {
        EvtchnDevice channels = EvtchnDevice.open();
        GrantAllocator.SharedGrant grant;
        try (GrantAllocator allocator = GrantAllocator.open()) {
            grant = allocator.share(ring.domid());
        } catch (IOException | RuntimeException e) {
            channels.close();
            throw e;
        }
        int port;
        try {
            port = channels.bindUnbound(ring.domid());
        } catch (IOException | RuntimeException e) {
            channels.close();
            grant.page().close();
            throw e;
        }
        String offered = ring.text() + "&gref=" + grant.gref() + "&port=" + port;
        LOG.log(System.Logger.Level.INFO, "offering a xenstore ring to domain " + ring.domid() + ": grant "
                + grant.gref() + ", event channel port " + port + " (" + offered + ")");
        return connect(ring, offered, grant.page(), channels, () -> port);
    }

    private static Transport connect(RingUri ring, String text, SharedPage page, EventChannels channels,
            PortSource port) throws IOException {
        try {
            int local = port.port();
            XenstoreRing r = new XenstoreRing(page, XenstoreRing.End.CLIENT);
            r.suppressKicks(ring.suppressKicks());
            TransportInfo info = new TransportInfo(text, XsWire.XENSTORE_PAYLOAD_MAX, DEFAULT_MAX_IN_FLIGHT, true);
            return RingTransport.connect(r, channels, local, info, new KickCounters(), CONNECT_TIMEOUT_NANOS);
        } catch (IOException | RuntimeException e) {
            channels.close();
            page.close();
            throw e;
        }
    }

    /** The local port of the ring's event channel, found once the channel device is open. */
    @FunctionalInterface
    private interface PortSource {
        int port() throws IOException;
    }
}
