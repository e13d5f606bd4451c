package org.jxenbus.xenstore.api.watch;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told about changes under a watched path. Called on a dispatch thread, never concurrently for one
 * listener, in the server's order. May call the blocking xenstore verbs (it is not on the I/O thread), but
 * while it runs its own later events wait.
 */
@ConsumerType
@FunctionalInterface
public interface WatchListener {

    /**
     * A node at or under the watched path changed (or may have: servers fire spuriously), or the listener
     * just joined ({@code path} is then the watched path). Relative when the watch path was relative.
     */
    void changed(String path);

    /**
     * Events were dropped because this listener fell behind; it must re-read the state it watches. Called
     * once per overflow, in order with the events.
     */
    default void overflowed() {
    }
}
