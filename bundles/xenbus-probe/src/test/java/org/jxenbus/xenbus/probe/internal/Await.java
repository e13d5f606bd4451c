package org.jxenbus.xenbus.probe.internal;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition for up to 30 s. */
final class Await {

    private Await() {
    }

    static void until(BooleanSupplier condition, Supplier<Object> state) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 30 s: " + state.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Waits until {@code bus} has had nothing to do for 200 ms running. */
    static void quiet(DeviceBus bus) {
        int calm = 0;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (calm < 20) {
            calm = bus.idle() ? calm + 1 : 0;
            if (System.nanoTime() > deadline) {
                throw new AssertionError(bus + " never went quiet");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
