package org.jxenbus.xenstore.sim.internal.frontend;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

import org.jxenbus.xenstore.spi.transport.Transport;
import org.jxenbus.xenstore.spi.transport.TransportProvider;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import aQute.bnd.annotation.Resolution;
import aQute.bnd.annotation.spi.ServiceProvider;

/**
 * {@code sim:} URIs: a simulated xenstored in the same JVM. {@code sim:NAME} is the simulator registered
 * under NAME, started with default options if none runs ({@code sim:default} for the scheme alone);
 * {@code ?domid=N} connects as domain N (introduced first if needed) instead of as a privileged client.
 * Discovered always, as the simulator (preference 0): runtimes use it only when no real store exists. In
 * OSGi the simulators this bundle started stop with it.
 */
@ServiceProvider(value = TransportProvider.class, resolution = Resolution.OPTIONAL)
@Component(service = TransportProvider.class, property = "xenstore.transport.scheme=sim")
public final class SimTransportProvider implements TransportProvider {

    @Override
    public String scheme() {
        return SimUri.SCHEME;
    }

    @Override
    public Optional<URI> defaultUri() {
        return Optional.of(URI.create(SimUri.SCHEME + ":" + SimUri.DEFAULT_NAME));
    }

    /** The shared simulator {@code sim:default}, always there, never preferred over a real store. */
    @Override
    public Optional<Discovered> discover() {
        return Optional.of(new Discovered(URI.create(SimUri.SCHEME + ":" + SimUri.DEFAULT_NAME), 0, true));
    }

    @Override
    public boolean accepts(URI uri) {
        return SimUri.SCHEME.equals(uri.getScheme());
    }

    @Override
    public Transport open(URI uri) throws IOException {
        SimUri u = SimUri.parse(uri);
        return SimulatorRuntime.shared(u.name()).open(u);
    }

    /** OSGi: the bundle stops; every simulator it runs stops with it. */
    @Deactivate
    void deactivate() {
        SimulatorRuntime.closeAll();
    }
}
