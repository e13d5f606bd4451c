package org.jxenbus.xenstore.api.watch;

import org.osgi.annotation.versioning.ProviderType;

/** One listener's watch. Thread-safe. */
@ProviderType
public interface Watch extends AutoCloseable {

    /** The watched path, as given. */
    String path();

    /**
     * Stops delivery to the listener: no callback starts after this returns, and one in progress on another
     * thread is waited for (unless called from the listener itself). The server's watch goes when its last
     * listener does. Idempotent.
     */
    @Override
    void close();
}
