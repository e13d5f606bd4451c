package org.jxenbus.xenstore.sim;

/** Where a simulator serves (a socket, a folder's rings) until closed. Thread-safe. */
public interface Endpoint extends AutoCloseable {

    /** What and where, for logs: {@code unix socket /path}. */
    String describe();

    /** Stops serving there; clients connected through it lose their connection. Idempotent, never throws. */
    @Override
    void close();
}
