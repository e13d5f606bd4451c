package org.jxenbus.xenstore.sim.internal.frontend;

import java.net.URI;

/**
 * {@code sim:NAME} and {@code sim:NAME?domid=N}: the simulator registered under NAME (the default one is
 * {@code default}; {@code sim:} alone means {@code sim:default}), as a privileged socket-like client or as
 * domain N's client.
 */
record SimUri(String name, int domid, boolean domain) {

    static final String SCHEME = "sim";
    static final String DEFAULT_NAME = "default";

    static SimUri parse(URI uri) {
        if (!SCHEME.equals(uri.getScheme())) {
            throw new IllegalArgumentException("not a sim: URI: " + uri);
        }
        String ssp = uri.getRawSchemeSpecificPart();
        if (ssp == null) {
            ssp = "";
        }
        if (ssp.startsWith("//")) {
            ssp = ssp.substring(2);
        }
        String name = ssp;
        String query = null;
        int q = ssp.indexOf('?');
        if (q >= 0) {
            name = ssp.substring(0, q);
            query = ssp.substring(q + 1);
        }
        if (name.isEmpty()) {
            name = DEFAULT_NAME;
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("sim: URI names a simulator with letters, digits, '.', '_' or '-': "
                    + uri);
        }
        if (query == null || query.isEmpty()) {
            return new SimUri(name, 0, false);
        }
        if (!query.matches("domid=[0-9]{1,5}")) {
            throw new IllegalArgumentException("sim: URI takes only ?domid=N (a domain id below 32752): " + uri);
        }
        int domid = Integer.parseInt(query.substring("domid=".length()));
        if (domid >= 0x7ff0) {
            throw new IllegalArgumentException("not a domain id: " + domid + " in " + uri);
        }
        return new SimUri(name, domid, true);
    }

    String text() {
        return SCHEME + ":" + name + (domain ? "?domid=" + domid : "");
    }
}
