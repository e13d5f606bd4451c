package org.jxenbus.xenstore.watch.archfixture;

import org.jxenbus.xenstore.spi.wire.XsWire;

/**
 * A deliberately broken dependency, for LayeringTest to prove its rules bite: the watch bundle using the
 * SPI's wire codec instead of the API alone. Lives in the test sources only.
 */
public final class WatchReachingIntoSpi {

    private WatchReachingIntoSpi() {
    }

    /** Uses the wire codec, below the API (a class reference: a constant would be inlined and not seen). */
    public static Class<?> leak() {
        return XsWire.class;
    }
}
