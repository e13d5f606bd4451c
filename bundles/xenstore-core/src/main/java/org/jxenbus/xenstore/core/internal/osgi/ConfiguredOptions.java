package org.jxenbus.xenstore.core.internal.osgi;

import java.time.Duration;
import java.util.Optional;

import org.jxenbus.xenstore.api.ConnectionOptions;

/**
 * A checked {@link StoreConfiguration}: the connection options and the store (empty: discover).
 *
 * @param options the connection's options
 * @param store the configured store, or empty to discover one
 * @param switchGrace how long transactions may go on while the transport is switched
 * @param discoveryGrace how long to wait for a real store before settling on the simulator
 */
record ConfiguredOptions(ConnectionOptions options, Optional<StoreAddress> store, Duration switchGrace,
        Duration discoveryGrace) {

    /**
     * Checks {@code c}.
     *
     * @throws IllegalArgumentException naming the property and the value at fault
     */
    static ConfiguredOptions of(StoreConfiguration c) {
        ConnectionOptions options = new ConnectionOptions(c.maxInFlight(), millis("requestTimeoutMillis",
                c.requestTimeoutMillis()), c.maxQueued(), c.maxOpenTransactions(), c.transactionAttempts(),
                millis("transactionBackoffInitialMillis", c.transactionBackoffInitialMillis()),
                millis("transactionBackoffMaxMillis", c.transactionBackoffMaxMillis()),
                millis("idleLingerMillis", c.idleLingerMillis()), c.reconnect());
        return new ConfiguredOptions(options, store(c.uri()), millis("switchGraceMillis", c.switchGraceMillis()),
                millis("discoveryGraceMillis", c.discoveryGraceMillis()));
    }

    private static Optional<StoreAddress> store(String text) {
        String t = text == null ? "" : text.trim();
        return t.isEmpty() ? Optional.empty() : Optional.of(StoreAddress.parse(t));
    }

    private static Duration millis(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
        return Duration.ofMillis(value);
    }
}
