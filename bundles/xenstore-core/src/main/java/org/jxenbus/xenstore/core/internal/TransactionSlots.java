package org.jxenbus.xenstore.core.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jxenbus.xenstore.api.XenstoreInterruptedException;
import org.jxenbus.xenstore.api.XenstoreTimeoutException;

/**
 * The cap on transactions the server may hold open for this connection (xenstored's per-domain quota is
 * 10). A slot is taken before TRANSACTION_START and given back only when the server can no longer hold the
 * transaction: its END settled, its START failed or was never answered, or a late START was aborted by
 * compensation. Thread-safe.
 */
final class TransactionSlots {

    private final ResizableLimit slots;

    TransactionSlots(int size) {
        this.slots = new ResizableLimit(size, true);
    }

    /**
     * Makes the cap {@code size}: more slots free at once; fewer, and transactions open now go on, while new
     * ones wait until the count is under the new cap.
     */
    void resize(int size) {
        slots.resize(size);
    }

    /** Waits for a slot, at most {@code timeoutNanos}. */
    Slot acquire(long timeoutNanos) {
        try {
            if (!slots.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw new XenstoreTimeoutException("TRANSACTION_START: no transaction slot freed within the request "
                        + "timeout (all " + slots.size() + " in use)", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenstoreInterruptedException("TRANSACTION_START: interrupted waiting for a transaction slot", e);
        }
        return new Slot();
    }

    /** Slots free now. */
    int available() {
        return slots.availablePermits();
    }

    /** One taken slot; releasing it twice releases it once. */
    final class Slot {
        private final AtomicBoolean released = new AtomicBoolean();

        void release() {
            if (released.compareAndSet(false, true)) {
                slots.release();
            }
        }
    }
}
