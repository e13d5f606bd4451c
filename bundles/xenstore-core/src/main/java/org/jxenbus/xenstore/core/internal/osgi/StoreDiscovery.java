package org.jxenbus.xenstore.core.internal.osgi;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.jxenbus.xenstore.spi.transport.TransportProvider;
import org.jxenbus.xenstore.spi.transport.TransportProvider.Discovered;

/**
 * Chooses a store when none is configured, from what the active transport bundles discover on this machine:
 * the most preferred real store (libxenstore's order: xenstored's socket, then {@code /dev/xen/xenbus}, then
 * {@code /proc/xen/xenbus}); the simulator only when no real store exists and the discovery grace is over
 * (so that a transport bundle still starting is not overtaken by the simulator).
 */
final class StoreDiscovery {

    private StoreDiscovery() {
    }

    /** @param graceOver asked only when no real store is found: whether the simulator may be taken now */
    static Optional<Discovered> choose(List<TransportProvider> providers, BooleanSupplier graceOver) {
        Optional<Discovered> real = discovered(providers).filter(d -> !d.simulated())
                .max(Comparator.comparingInt(Discovered::preference));
        if (real.isPresent() || !graceOver.getAsBoolean()) {
            return real;
        }
        return discovered(providers).filter(Discovered::simulated).max(Comparator.comparingInt(Discovered::preference));
    }

    private static java.util.stream.Stream<Discovered> discovered(List<TransportProvider> providers) {
        return providers.stream().map(StoreDiscovery::safely).flatMap(Optional::stream);
    }

    private static Optional<Discovered> safely(TransportProvider p) {
        try {
            return p.discover();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
