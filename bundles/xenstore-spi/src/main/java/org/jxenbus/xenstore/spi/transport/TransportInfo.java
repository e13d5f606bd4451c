package org.jxenbus.xenstore.spi.transport;

import java.util.Objects;

/**
 * What a transport is connected to and the limits it imposes.
 *
 * @param uri the URI it was opened with, normalized (for logs and {@code describe()})
 * @param maxPayload the largest payload it can carry (4096; 4080 through Linux's /dev/xen/xenbus)
 * @param defaultMaxInFlight the in-flight window the core uses unless configured otherwise
 * @param resetOnClose whether the server keeps this connection's watches and transactions after the client
 *        goes (a ring outlives its clients): the core then drains what is in flight and sends RESET_WATCHES
 *        before it closes, so a later client of the same ring starts clean
 */
public record TransportInfo(String uri, int maxPayload, int defaultMaxInFlight, boolean resetOnClose) {

    /** Checks the limits are sane. */
    public TransportInfo {
        Objects.requireNonNull(uri, "uri");
        if (maxPayload < 64 || maxPayload > org.jxenbus.xenstore.spi.wire.XsWire.XENSTORE_PAYLOAD_MAX) {
            throw new IllegalArgumentException("maxPayload out of range: " + maxPayload);
        }
        if (defaultMaxInFlight < 1) {
            throw new IllegalArgumentException("defaultMaxInFlight must be at least 1: " + defaultMaxInFlight);
        }
    }
}
