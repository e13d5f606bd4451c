package org.jxenbus.transport.ring.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A parsed {@code ring:} URI, the client end of a xenstore ring:
 * <ul>
 * <li>{@code ring:fake:/path/to/D?domid=N}: domain N's ring on the fake hypervisor in folder D;</li>
 * <li>{@code ring:gntalloc?server=D}: a ring we offer ourselves: a page granted to domain D (the server's)
 * and an unbound event-channel port for D; the server maps the grant and binds the port, both reported in
 * the transport's URI ({@code &gref=G&port=P}) and logged.</li>
 * </ul>
 * Either takes {@code suppress=false} to turn the seed's kick suppression off (for measuring kicks).
 * Rings that already have a client are refused with the reason: dom0's {@code xsd_kva} (the dom0 kernel's
 * xenbus is its client) and a domain's grant 1 (its kernel's xenstore ring); a second client corrupts a ring.
 *
 * @param kind {@code fake} or {@code gntalloc}
 * @param dir the host folder D ({@code fake}); {@code null} otherwise
 * @param domid the domain whose ring this is ({@code fake}); the server's domain ({@code gntalloc})
 * @param suppressKicks whether kicks follow the seed's suppression rules
 */
record RingUri(String kind, Path dir, int domid, boolean suppressKicks) {

    static RingUri parse(URI uri) {
        if (!"ring".equals(uri.getScheme()) || !uri.isOpaque()) {
            throw new IllegalArgumentException("not a ring: URI: " + uri + usage());
        }
        String ssp = uri.getSchemeSpecificPart();
        int q = ssp.indexOf('?');
        String head = q < 0 ? ssp : ssp.substring(0, q);
        Map<String, String> params = params(q < 0 ? "" : ssp.substring(q + 1), uri);
        int colon = head.indexOf(':');
        String kind = colon < 0 ? head : head.substring(0, colon);
        String path = colon < 0 ? "" : head.substring(colon + 1);
        boolean suppress = suppression(params.remove("suppress"), uri);
        switch (kind) {
            case "fake": {
                if (!path.startsWith("/")) {
                    throw new IllegalArgumentException("ring:fake: needs the absolute host folder: " + uri + usage());
                }
                int domid = domid(required(params, "domid", uri), uri);
                noMore(params, uri);
                return new RingUri(kind, Path.of(path), domid, suppress);
            }
            case "gntalloc": {
                int server = domid(required(params, "server", uri), uri);
                noMore(params, uri);
                return new RingUri(kind, null, server, suppress);
            }
            case "xsd_kva":
                throw new IllegalArgumentException(uri + ": dom0's xenstore ring (/proc/xen/xsd_kva) already has a "
                        + "client, the dom0 kernel's xenbus driver; a second client would corrupt it. Use unix: (the "
                        + "daemon's socket) or xenbus: (the kernel's device) instead");
            case "gntdev":
                throw new IllegalArgumentException(uri + ": a domain's grant 1 is its xenstore ring, whose client is "
                        + "that domain's kernel; a second client would corrupt it. Offer a ring of our own with "
                        + "ring:gntalloc?server=D instead");
            default:
                throw new IllegalArgumentException("unknown ring kind \"" + kind + "\" in " + uri + usage());
        }
    }

    private static String required(Map<String, String> params, String name, URI uri) {
        String v = params.remove(name);
        if (v == null) {
            throw new IllegalArgumentException(uri + " needs ?" + name + "=N" + usage());
        }
        return v;
    }

    private static void noMore(Map<String, String> params, URI uri) {
        if (!params.isEmpty()) {
            throw new IllegalArgumentException("unknown ring: parameters " + params.keySet() + " in " + uri + usage());
        }
    }

    private static boolean suppression(String value, URI uri) {
        if (value != null && !value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("suppress must be true or false in " + uri);
        }
        return !"false".equals(value);
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

    private static int domid(String text, URI uri) {
        try {
            int d = Integer.parseInt(text);
            if (d >= 0 && d < 0x7ff0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("a domain id must be 0..32751 in " + uri);
    }

    private static String usage() {
        return " (expected ring:fake:/path/to/D?domid=N or ring:gntalloc?server=D)";
    }

    /** The normalized URI, for logs. */
    String text() {
        String base = kind.equals("fake") ? "ring:fake:" + dir + "?domid=" + domid : "ring:gntalloc?server=" + domid;
        return base + (suppressKicks ? "" : "&suppress=false");
    }
}
