package org.jxenbus.transport.ring.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A parsed {@code ring:} URI. Today: {@code ring:fake:/path/to/D?domid=N[&suppress=false]}, the client end
 * of domain N's ring on the fake hypervisor in folder D. {@code suppress=false} turns the seed's kick
 * suppression off (for measuring kicks).
 *
 * @param kind {@code fake}
 * @param dir the host folder D
 * @param domid the domain whose ring this client uses
 * @param suppressKicks whether kicks follow the seed's suppression rules
 */
record RingUri(String kind, Path dir, int domid, boolean suppressKicks) {

    static RingUri parse(URI uri) {
        if (!"ring".equals(uri.getScheme()) || !uri.isOpaque()) {
            throw new IllegalArgumentException("not a ring: URI: " + uri + usage());
        }
        String ssp = uri.getSchemeSpecificPart();
        int colon = ssp.indexOf(':');
        String kind = colon < 0 ? ssp : ssp.substring(0, colon);
        if (!kind.equals("fake")) {
            throw new IllegalArgumentException("unknown ring kind \"" + kind + "\" in " + uri + usage());
        }
        String rest = ssp.substring(colon + 1);
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        Map<String, String> params = params(q < 0 ? "" : rest.substring(q + 1), uri);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("ring:fake: needs the absolute host folder: " + uri + usage());
        }
        String domid = params.remove("domid");
        if (domid == null) {
            throw new IllegalArgumentException("ring:fake: needs ?domid=N: " + uri + usage());
        }
        String suppress = params.remove("suppress");
        if (!params.isEmpty()) {
            throw new IllegalArgumentException("unknown ring: parameters " + params.keySet() + " in " + uri + usage());
        }
        if (suppress != null && !suppress.equals("true") && !suppress.equals("false")) {
            throw new IllegalArgumentException("suppress must be true or false in " + uri);
        }
        return new RingUri(kind, Path.of(path), parseDomid(domid, uri), !"false".equals(suppress));
    }

    private static Map<String, String> params(String query, URI uri) {
        Map<String, String> out = new HashMap<>();
        if (query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || out.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("malformed ring: parameter \"" + pair + "\" in " + uri);
            }
        }
        return out;
    }

    private static int parseDomid(String text, URI uri) {
        try {
            int d = Integer.parseInt(text);
            if (d >= 0 && d < 0x7ff0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("domid must be 0..32751 in " + uri);
    }

    private static String usage() {
        return " (expected ring:fake:/path/to/D?domid=N)";
    }

    /** The normalized URI, for logs. */
    String text() {
        return "ring:" + kind + ":" + dir + "?domid=" + domid + (suppressKicks ? "" : "&suppress=false");
    }
}
