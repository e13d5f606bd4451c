package org.jxenbus.xenstore.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Work run inside a transaction by {@link XenstoreService#transaction(TransactionWork)}. It may run more
 * than once (after a conflict), so it must not have effects outside the transaction it is given, other
 * than ones safe to repeat.
 *
 * @param <T> what the work returns
 */
@ConsumerType
@FunctionalInterface
public interface TransactionWork<T> {

    /** Runs against {@code tx}; every verb of {@code tx} is part of the transaction. */
    T run(XenstoreOperations tx);
}
