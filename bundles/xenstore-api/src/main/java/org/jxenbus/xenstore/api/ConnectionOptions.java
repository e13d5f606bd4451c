package org.jxenbus.xenstore.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How a connection behaves. Immutable; start from {@link #defaults()} and change with the {@code with}
 * methods, each of which checks its value.
 *
 * @param maxInFlight requests written and not yet answered at most; 0 means the transport's default.
 *        1 reproduces the serialized (one request at a time) behaviour of older clients
 * @param requestTimeout how long a request may wait for its reply, from submission (default 120 s: a
 *        xenstored live update may delay requests up to 60 s)
 * @param maxQueued requests waiting for the in-flight window at most; further submitters wait for room,
 *        bounded by their timeout
 * @param maxOpenTransactions transactions open at once at most (default 10, xenstored's per-domain quota);
 *        further starts wait for a slot, bounded by the request timeout
 * @param transactionAttempts how often {@link XenstoreService#transaction} runs its work before giving up
 *        with {@link ConflictException}
 * @param backoffInitial the first delay before rerunning conflicting work; doubled per attempt, randomized
 * @param backoffMax the largest delay before rerunning conflicting work
 * @param idleLinger how long the connection's I/O thread stays after the last request and watch are gone
 * @param reconnect whether a lost connection is replaced (default true): the transport is opened again
 *        (10 ms to 2 s apart, until it works or the connection is closed), never-written requests wait for
 *        it within their timeout, reads outside transactions are sent again, other written requests report
 *        {@link OutcomeUnknownException}, open transactions become stale (EAGAIN) and watches are set again.
 *        When false, a lost connection fails everything with {@link TransportFailureException}
 */
public record ConnectionOptions(int maxInFlight, Duration requestTimeout, int maxQueued, int maxOpenTransactions,
        int transactionAttempts, Duration backoffInitial, Duration backoffMax, Duration idleLinger, boolean reconnect) {

    /** The defaults named above. */
    public static ConnectionOptions defaults() {
        return new ConnectionOptions(0, Duration.ofSeconds(120), 65536, 10, 32, Duration.ofMillis(1),
                Duration.ofMillis(500), Duration.ofSeconds(2), true);
    }

    /** With reconnection on or off. */
    public ConnectionOptions withReconnect(boolean value) {
        return new ConnectionOptions(maxInFlight, requestTimeout, maxQueued, maxOpenTransactions, transactionAttempts,
                backoffInitial, backoffMax, idleLinger, value);
    }

    /** Checks every value. */
    public ConnectionOptions {
        if (maxInFlight < 0) {
            throw new IllegalArgumentException("maxInFlight must be 0 (transport default) or positive: " + maxInFlight);
        }
        requirePositive("requestTimeout", requestTimeout);
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be positive: " + maxQueued);
        }
        if (maxOpenTransactions < 1) {
            throw new IllegalArgumentException("maxOpenTransactions must be positive: " + maxOpenTransactions);
        }
        if (transactionAttempts < 1) {
            throw new IllegalArgumentException("transactionAttempts must be positive: " + transactionAttempts);
        }
        requirePositive("backoffInitial", backoffInitial);
        requirePositive("backoffMax", backoffMax);
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoffMax " + backoffMax + " is below backoffInitial " + backoffInitial);
        }
        Objects.requireNonNull(idleLinger, "idleLinger");
        if (idleLinger.isNegative()) {
            throw new IllegalArgumentException("idleLinger must not be negative: " + idleLinger);
        }
    }

    /** With another in-flight window (0: the transport's default). */
    public ConnectionOptions withMaxInFlight(int value) {
        return new ConnectionOptions(value, requestTimeout, maxQueued, maxOpenTransactions, transactionAttempts,
                backoffInitial, backoffMax, idleLinger, reconnect);
    }

    /** With another request timeout. */
    public ConnectionOptions withRequestTimeout(Duration value) {
        return new ConnectionOptions(maxInFlight, value, maxQueued, maxOpenTransactions, transactionAttempts,
                backoffInitial, backoffMax, idleLinger, reconnect);
    }

    /** With another submission queue bound. */
    public ConnectionOptions withMaxQueued(int value) {
        return new ConnectionOptions(maxInFlight, requestTimeout, value, maxOpenTransactions, transactionAttempts,
                backoffInitial, backoffMax, idleLinger, reconnect);
    }

    /** With another cap on open transactions. */
    public ConnectionOptions withMaxOpenTransactions(int value) {
        return new ConnectionOptions(maxInFlight, requestTimeout, maxQueued, value, transactionAttempts,
                backoffInitial, backoffMax, idleLinger, reconnect);
    }

    /** With another retry policy for {@link XenstoreService#transaction}. */
    public ConnectionOptions withTransactionRetry(int attempts, Duration initial, Duration max) {
        return new ConnectionOptions(maxInFlight, requestTimeout, maxQueued, maxOpenTransactions, attempts, initial,
                max, idleLinger, reconnect);
    }

    /** With another idle linger for the I/O thread. */
    public ConnectionOptions withIdleLinger(Duration value) {
        return new ConnectionOptions(maxInFlight, requestTimeout, maxQueued, maxOpenTransactions, transactionAttempts,
                backoffInitial, backoffMax, value, reconnect);
    }

    private static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
