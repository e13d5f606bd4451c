package org.jxenbus.xenstore.core.internal.osgi;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.jxenbus.xenstore.spi.transport.TransportProvider;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The transport bundles installed in the framework: those whose manifest declares an {@code osgi.service}
 * capability for {@link TransportProvider} (bnd writes it for their components). Discovery needs no grace once
 * each of them is active and its provider is bound to the runtime: no transport bundle is still starting, so
 * none can find a real store later.
 */
final class TransportBundles {

    private static final String PROVIDER = TransportProvider.class.getName();

    private TransportBundles() {
    }

    /**
     * Whether every installed transport bundle is active with its provider registered, and the runtime holds
     * {@code bound} providers, as many as are registered (so none is still on its way to it).
     */
    static boolean allAnswered(BundleContext context, int bound) {
        try {
            for (Bundle b : context.getBundles()) {
                if (declaresProvider(b) && (b.getState() != Bundle.ACTIVE || !registersProvider(b))) {
                    return false;
                }
            }
            Collection<ServiceReference<TransportProvider>> registered = context.getServiceReferences(
                    TransportProvider.class, null);
            return registered.size() == bound;
        } catch (IllegalStateException | InvalidSyntaxException stopping) {
            return false; // the runtime's own bundle is stopping: no decision to make
        }
    }

    private static boolean declaresProvider(Bundle b) {
        BundleRevision revision = b.adapt(BundleRevision.class);
        if (revision == null) {
            return false;
        }
        for (BundleCapability c : revision.getDeclaredCapabilities("osgi.service")) {
            if (c.getAttributes().get(Constants.OBJECTCLASS) instanceof List<?> names && names.contains(PROVIDER)) {
                return true;
            }
        }
        return false;
    }

    private static boolean registersProvider(Bundle b) {
        ServiceReference<?>[] services = b.getRegisteredServices();
        if (services == null) {
            return false;
        }
        for (ServiceReference<?> s : services) {
            if (s.getProperty(Constants.OBJECTCLASS) instanceof String[] names
                    && Arrays.asList(names).contains(PROVIDER)) {
                return true;
            }
        }
        return false;
    }
}
