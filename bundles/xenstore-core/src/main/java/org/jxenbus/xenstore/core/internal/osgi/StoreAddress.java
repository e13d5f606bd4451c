package org.jxenbus.xenstore.core.internal.osgi;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

import org.jxenbus.xenstore.spi.transport.TransportProvider;

/**
 * The configured store: a URI ({@code unix:/run/xenstored/socket}), or a scheme alone ({@code unix:},
 * {@code xenbus:}, {@code sim:}) meaning that transport's default URI, as {@code Xenstore.open} takes it. A
 * scheme alone is not a URI to {@link URI}, so it is resolved through the transport bundle serving the scheme,
 * once one is active. A value.
 *
 * @param text the configured text, trimmed
 */
record StoreAddress(String text) {

    /**
     * Checks {@code text}.
     *
     * @throws IllegalArgumentException if it is neither a scheme alone nor a URI with a scheme
     */
    static StoreAddress parse(String text) {
        String t = text.trim();
        if (TransportProvider.schemeAlone(t).isEmpty()) {
            try {
                if (new URI(t).getScheme() == null) {
                    throw new IllegalArgumentException("uri has no scheme (unix:, xenbus:, ring:, sim:): " + t);
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("uri is not a URI: " + e.getMessage(), e);
            }
        }
        return new StoreAddress(t);
    }

    /**
     * The URI this names with {@code providers} active: a scheme alone resolves to the default URI of the
     * provider of that scheme; empty while there is none (or it has no default).
     */
    Optional<URI> resolve(List<TransportProvider> providers) {
        Optional<String> scheme = TransportProvider.schemeAlone(text);
        if (scheme.isEmpty()) {
            return Optional.of(URI.create(text));
        }
        return providers.stream().filter(p -> p.scheme().equalsIgnoreCase(scheme.get())).findFirst()
                .flatMap(TransportProvider::defaultUri);
    }

    @Override
    public String toString() {
        return text;
    }
}
