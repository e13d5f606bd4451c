package org.jxenbus.itests.robustness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Counts the inputs a fuzz test class ran and prints the count and the time when the class is done
 * (libFuzzer's own summary goes to the native stderr, which surefire does not keep). One fuzz test class
 * runs per JVM (see the pom), so one counter serves. The count is also written to
 * {@code target/fuzz-counts/<class>.txt}, every 100,000 inputs and at the end, so a long run that ends
 * without the JUnit callback (libFuzzer stopping the JVM) still leaves its count.
 */
public final class InputCounter implements BeforeAllCallback, AfterAllCallback {

    private static final AtomicLong INPUTS = new AtomicLong();
    private static volatile long startNanos = System.nanoTime();
    private static volatile String testClass = "fuzz test";

    /** Called once per input by the fuzz test. */
    static void tick() {
        long n = INPUTS.incrementAndGet();
        if (n % 100_000 == 0) {
            record("");
        }
    }

    private static String record(String suffix) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        String line = String.format("%s: %,d inputs in %.1f s%s", testClass, INPUTS.get(), seconds, suffix);
        try {
            Path dir = Files.createDirectories(Path.of("target", "fuzz-counts"));
            Files.writeString(dir.resolve(testClass + ".txt"), line + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        INPUTS.set(0);
        startNanos = System.nanoTime();
        testClass = context.getRequiredTestClass().getSimpleName();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        String line = record(", no finding");
        System.out.println(line);
        System.err.println(line);
    }
}
