package org.jxenbus.xenstore.api.watch;

import org.jxenbus.xenstore.api.XenstoreOperations;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A condition over xenstore nodes for {@link WatchService#waitFor}. It reads through the operations it is
 * given (every node it reads is watched) and returns its value, or {@code null} when not yet satisfied.
 * It may run many times. A node that does not exist yet is fine to read: catch
 * {@link org.jxenbus.xenstore.api.NoSuchNodeException} and return {@code null}.
 *
 * @param <T> the value
 */
@ConsumerType
@FunctionalInterface
public interface Condition<T> {

    /** Evaluates once. */
    T evaluate(XenstoreOperations store);
}
