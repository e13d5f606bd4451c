package org.jxenbus.itests.robustness;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Counts the inputs a fuzz test class ran and prints the count and the time when the class is done
 * (libFuzzer's own summary goes to the native stderr, which surefire does not keep). One fuzz test class
 * runs per JVM (see the pom), so one counter serves.
 */
public final class InputCounter implements BeforeAllCallback, AfterAllCallback {

    private static final AtomicLong INPUTS = new AtomicLong();
    private static volatile long startNanos;

    /** Called once per input by the fuzz test. */
    static void tick() {
        INPUTS.incrementAndGet();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        INPUTS.set(0);
        startNanos = System.nanoTime();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        String line = String.format("%s: %,d inputs in %.1f s, no finding", context.getRequiredTestClass()
                .getSimpleName(), INPUTS.get(), seconds);
        System.out.println(line);
        System.err.println(line);
    }
}
