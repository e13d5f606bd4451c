package org.jxenbus.xenstore.sim.internal.engine;

/**
 * How a connection's messages leave the engine: an in-JVM transport, a socket, a ring. Called on the engine
 * thread; implementations must not block.
 */
public interface Frontend {

    /** Messages were added to the connection's outbox. */
    void outputAvailable();

    /** The engine dropped the connection (the domain was released, the socket misbehaved ...). */
    void closed();
}
