package org.jxenbus.testsupport;

/**
 * Heavy tests run a CI size by default and the full size the issues ask for with {@code -Djxenbus.full=true}
 * (the README's full run).
 */
public final class TestSize {

    private TestSize() {
    }

    /** Whether the full sizes were asked for. */
    public static boolean full() {
        return Boolean.getBoolean("jxenbus.full");
    }

    /** {@code fullSize} with {@code -Djxenbus.full=true}, else {@code ciSize}. */
    public static int pick(int ciSize, int fullSize) {
        return full() ? fullSize : ciSize;
    }
}
