package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;

/**
 * Hands out request ids: an unsigned 32-bit counter that wraps, skipping ids still waiting for their reply
 * (a request abandoned by its caller keeps its id until the server's late reply arrives). Confined to the
 * connection's I/O thread.
 */
final class RequestIdAllocator {

    private int next;
    /**
     * Set by {@link #restartAt} from a test thread; taken over by the I/O thread at its next allocation, in
     * one atomic step (a read then a clear lost a restart set in between: jcstress RequestIdAllocatorStress).
     */
    private final AtomicReference<Long> restart = new AtomicReference<>();

    /** @param first the first id to hand out; tests start near 2^32 to cross the wrap */
    RequestIdAllocator(int first) {
        this.next = first;
    }

    /**
     * The next id for which {@code inUse} is false.
     *
     * @throws IllegalStateException if every one of the 2^32 ids is in use (cannot happen with a bounded
     *         in-flight window, but never loop forever)
     */
    int allocate(IntPredicate inUse) {
        Long r = restart.get() == null ? null : restart.getAndSet(null); // no atomic swap per request
        if (r != null) {
            next = r.intValue();
        }
        for (long tries = 0; tries <= 0xffffffffL; tries++) {
            int id = next++;
            if (!inUse.test(id)) {
                return id;
            }
        }
        throw new IllegalStateException("every request id is in use");
    }

    /** Test hook: the next allocation starts looking at {@code id} (to meet an id still in use). */
    void restartAt(int id) {
        restart.set(Integer.toUnsignedLong(id));
    }
}
