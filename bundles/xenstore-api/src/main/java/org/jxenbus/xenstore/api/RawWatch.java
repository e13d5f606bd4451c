package org.jxenbus.xenstore.api;

import org.osgi.annotation.versioning.ProviderType;

/** A server watch set by {@link XenstoreService#watch}. Thread-safe. */
@ProviderType
public interface RawWatch extends AutoCloseable {

    /** The watched path, as given. */
    String path();

    /** The token this watch carries on the wire (unique per connection, chosen by the library). */
    String token();

    /**
     * Removes the watch from the server (UNWATCH) and stops delivery to the listener. Events already on
     * their way may still be discarded silently. Idempotent; blocks until the server answers. An interrupt ends
     * the wait (the flag stays set) but not the UNWATCH, which still goes out; called from a listener (the I/O
     * thread) it does not wait.
     */
    @Override
    void close();
}
