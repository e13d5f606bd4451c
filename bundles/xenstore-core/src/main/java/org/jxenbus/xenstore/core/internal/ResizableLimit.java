package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.Semaphore;

/**
 * A semaphore whose number of permits can be changed while permits are taken: growing releases the
 * difference at once; shrinking takes it from the permits free now and from those returned later, so
 * holders keep what they have and no new taker gets one until the count is under the new size. Thread-safe.
 */
final class ResizableLimit extends Semaphore {

    private static final long serialVersionUID = 1L;

    private int size;

    ResizableLimit(int size, boolean fair) {
        super(size, fair);
        this.size = size;
    }

    /** The number of permits the limit stands for now. */
    synchronized int size() {
        return size;
    }

    /** Makes the limit {@code to} permits. */
    synchronized void resize(int to) {
        if (to < 1) {
            throw new IllegalArgumentException("a limit must be positive: " + to);
        }
        int difference = to - size;
        size = to;
        if (difference > 0) {
            release(difference);
        } else if (difference < 0) {
            reducePermits(-difference);
        }
    }
}
